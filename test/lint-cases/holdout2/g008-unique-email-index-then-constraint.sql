-- case: unique constraint on customers.email: a unique index built concurrently, then the constraint using that index
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '3s';
CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;
