-- case: add a GENERATED ALWAYS AS IDENTITY column
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
-- DOWN
ALTER TABLE orders DROP COLUMN position;
