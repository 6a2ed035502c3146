-- case: narrow text to varchar(100)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE customers ALTER COLUMN email TYPE varchar(100);
-- DOWN
ALTER TABLE customers ALTER COLUMN email TYPE text;
