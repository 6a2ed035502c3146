-- case: CREATE UNIQUE INDEX without CONCURRENTLY
-- fixture: orders
-- UP
SET lock_timeout = '2s';
CREATE UNIQUE INDEX customers_email_idx ON customers (email);
-- DOWN
DROP INDEX customers_email_idx;
