-- case: add a column with DEFAULT clock_timestamp() (volatile)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();
-- DOWN
ALTER TABLE orders DROP COLUMN seen_at;
