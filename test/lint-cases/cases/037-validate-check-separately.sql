-- case: VALIDATE a CHECK added NOT VALID by an earlier migration
-- fixture: orders
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_price_positive CHECK (price >= 0) NOT VALID;
-- UP
ALTER TABLE orders VALIDATE CONSTRAINT orders_price_positive;
