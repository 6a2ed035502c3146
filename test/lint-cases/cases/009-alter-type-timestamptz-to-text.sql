-- case: change a timestamptz column to text
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN created_at TYPE text;
-- DOWN
ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
