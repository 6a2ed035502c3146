-- case: customer_id made NOT NULL outside a transaction: CHECK NOT VALID, VALIDATE, SET NOT NULL, then the CHECK dropped
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;
