-- case: add a CHECK NOT VALID and VALIDATE it in the same transaction
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_price_positive CHECK (price >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_price_positive;
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_price_positive;
