-- case: change a text column to int with USING
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN code TYPE int USING code::int;
-- DOWN
ALTER TABLE orders ALTER COLUMN code TYPE text;
