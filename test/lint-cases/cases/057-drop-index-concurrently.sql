-- case: DROP INDEX CONCURRENTLY in a no-transaction migration
-- fixture: orders
-- pgshift:no-transaction
-- UP
DROP INDEX CONCURRENTLY orders_created_at_idx;
-- DOWN
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
