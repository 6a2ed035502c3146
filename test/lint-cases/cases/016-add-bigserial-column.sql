-- case: add a bigserial column to an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN position bigserial;
-- DOWN
ALTER TABLE orders DROP COLUMN position;
