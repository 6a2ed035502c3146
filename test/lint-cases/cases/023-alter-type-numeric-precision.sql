-- case: raise numeric(10,2) to numeric(12,2)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN price TYPE numeric(12,2);
-- DOWN
ALTER TABLE orders ALTER COLUMN price TYPE numeric(10,2);
