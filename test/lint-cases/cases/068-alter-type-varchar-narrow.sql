-- case: narrow varchar(50) to varchar(20)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE customers ALTER COLUMN name TYPE varchar(20);
-- DOWN
ALTER TABLE customers ALTER COLUMN name TYPE varchar(50);
