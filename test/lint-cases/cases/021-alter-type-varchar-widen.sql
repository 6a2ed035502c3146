-- case: widen varchar(10) to varchar(20)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);
-- DOWN
ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);
