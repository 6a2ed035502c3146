-- case: drop a redundant index concurrently
-- fixture: orders
-- setup: CREATE INDEX orders_status_idx ON orders (status);
-- pgshift:no-transaction
-- UP
SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
