-- case: store the order code as an integer, converting the existing text values with USING
-- fixture: orders
-- UP
SET lock_timeout = '5s';
ALTER TABLE orders ALTER COLUMN code TYPE integer USING code::integer;
