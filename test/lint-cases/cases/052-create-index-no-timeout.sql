-- case: CREATE INDEX without CONCURRENTLY and without lock_timeout
-- fixture: orders
-- UP
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- DOWN
DROP INDEX orders_customer_id_idx;
