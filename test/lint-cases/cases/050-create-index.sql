-- case: CREATE INDEX without CONCURRENTLY on an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- DOWN
DROP INDEX orders_customer_id_idx;
