-- case: add a FOREIGN KEY without NOT VALID
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
