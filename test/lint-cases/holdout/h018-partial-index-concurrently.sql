-- case: a partial index on unpaid orders, built CONCURRENTLY
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '3s';
CREATE INDEX CONCURRENTLY orders_unpaid_customer_idx ON orders (customer_id) WHERE status = 'new';
-- DOWN
DROP INDEX CONCURRENTLY orders_unpaid_customer_idx;
