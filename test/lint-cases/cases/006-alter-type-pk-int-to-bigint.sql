-- case: change the int primary key to bigint
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
-- DOWN
ALTER TABLE orders ALTER COLUMN id TYPE int;
