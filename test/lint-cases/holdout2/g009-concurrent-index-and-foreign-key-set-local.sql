-- case: an index on orders.customer_id built concurrently and a NOT VALID foreign key to customers, in a no-transaction file starting with SET LOCAL lock_timeout
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET LOCAL lock_timeout = '3s';
CREATE INDEX CONCURRENTLY index_orders_on_customer_id ON orders (customer_id);
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
