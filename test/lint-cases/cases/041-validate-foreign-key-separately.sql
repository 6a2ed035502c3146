-- case: VALIDATE a FOREIGN KEY added NOT VALID by an earlier migration
-- fixture: orders
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- UP
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
