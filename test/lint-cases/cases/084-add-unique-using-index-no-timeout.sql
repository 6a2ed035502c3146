-- case: attach a unique index as a constraint without lock_timeout
-- fixture: orders
-- setup: CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- UP
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;
