-- case: change an int column to bigint, no lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
-- DOWN
ALTER TABLE orders ALTER COLUMN amount TYPE int;
