-- case: add a nullable column
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
-- DOWN
ALTER TABLE orders DROP COLUMN shipped_at;
