-- case: add a nullable column without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
-- DOWN
ALTER TABLE orders DROP COLUMN shipped_at;
