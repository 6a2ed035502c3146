-- case: widen varchar(10) to varchar(20) without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);
-- DOWN
ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);
