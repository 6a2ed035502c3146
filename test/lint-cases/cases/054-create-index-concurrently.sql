-- case: CREATE INDEX CONCURRENTLY in a no-transaction migration
-- fixture: orders
-- pgshift:no-transaction
-- UP
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
-- DOWN
DROP INDEX CONCURRENTLY orders_customer_id_idx;
