-- case: add a CHECK NOT VALID without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ADD CONSTRAINT orders_price_positive CHECK (price >= 0) NOT VALID;
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_price_positive;
