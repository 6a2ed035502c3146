-- case: build a unique index CONCURRENTLY, then attach it as a constraint (no-transaction)
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY customers_email_idx ON customers (email);
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_idx;
-- DOWN
ALTER TABLE customers DROP CONSTRAINT customers_email_key;
