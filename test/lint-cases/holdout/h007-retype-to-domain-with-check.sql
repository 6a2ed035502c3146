-- case: move customers.email onto a new domain over text that carries a CHECK
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%_@_%');
ALTER TABLE customers ALTER COLUMN email TYPE email_address;
