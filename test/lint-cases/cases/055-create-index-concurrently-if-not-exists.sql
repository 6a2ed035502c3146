-- case: CREATE INDEX CONCURRENTLY IF NOT EXISTS, partial
-- fixture: orders
-- pgshift:no-transaction
-- UP
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_unpaid_idx ON orders (created_at) WHERE status = 'new';
-- DOWN
DROP INDEX CONCURRENTLY IF EXISTS orders_unpaid_idx;
