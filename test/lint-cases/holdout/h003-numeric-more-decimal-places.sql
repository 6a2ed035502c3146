-- case: give prices four decimal places: numeric(10,2) to numeric(12,4)
-- fixture: orders
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN price TYPE numeric(12,4);
