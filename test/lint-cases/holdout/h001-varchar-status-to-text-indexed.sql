-- case: change an indexed varchar(10) status column to text
-- fixture: orders
-- setup: CREATE INDEX orders_status_idx ON orders (status);
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN status TYPE text;
-- DOWN
ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);
