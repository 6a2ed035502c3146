-- case: change varchar(10) to text
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN status TYPE text;
-- DOWN
ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);
