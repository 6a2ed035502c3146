-- case: TRUNCATE ... CASCADE through a foreign key
-- fixture: orders
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- UP
SET lock_timeout = '2s';
TRUNCATE customers CASCADE;
