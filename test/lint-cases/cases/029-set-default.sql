-- case: change a column default
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';
-- DOWN
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
