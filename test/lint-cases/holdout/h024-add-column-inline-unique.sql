-- case: add a nullable external reference column declared UNIQUE inline
-- fixture: orders
-- UP
SET lock_timeout = '3s';
ALTER TABLE customers ADD COLUMN external_ref text UNIQUE;
