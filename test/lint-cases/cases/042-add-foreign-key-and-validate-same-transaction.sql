-- case: add a FOREIGN KEY NOT VALID and VALIDATE it in the same transaction
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
