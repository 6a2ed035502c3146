-- case: change an int column to bigint (rewrites table and indexes)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
-- DOWN
ALTER TABLE orders ALTER COLUMN amount TYPE int;
