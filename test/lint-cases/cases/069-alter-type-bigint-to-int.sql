-- case: narrow a bigint column to int
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN customer_id TYPE int;
-- DOWN
ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;
