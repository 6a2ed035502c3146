-- case: DROP TABLE of an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
DROP TABLE customers;
