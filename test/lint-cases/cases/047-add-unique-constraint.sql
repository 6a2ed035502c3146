-- case: add a UNIQUE constraint without USING INDEX
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
-- DOWN
ALTER TABLE customers DROP CONSTRAINT customers_email_key;
