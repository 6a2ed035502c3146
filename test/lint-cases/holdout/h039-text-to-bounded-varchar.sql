-- case: bound a text column: orders.code to varchar(16) (every value fits)
-- fixture: orders
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN code TYPE varchar(16);
