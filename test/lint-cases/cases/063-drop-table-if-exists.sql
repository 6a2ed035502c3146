-- case: DROP TABLE IF EXISTS of an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
DROP TABLE IF EXISTS orders;
