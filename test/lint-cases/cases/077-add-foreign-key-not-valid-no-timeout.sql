-- case: add a FOREIGN KEY NOT VALID without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
