-- case: add a UNIQUE constraint USING an index built concurrently earlier
-- fixture: orders
-- setup: CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- UP
SET lock_timeout = '2s';
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;
