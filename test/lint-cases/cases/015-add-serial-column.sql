-- case: add a serial column to an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN position serial;
-- DOWN
ALTER TABLE orders DROP COLUMN position;
