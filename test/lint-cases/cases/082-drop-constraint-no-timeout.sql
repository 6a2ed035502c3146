-- case: DROP CONSTRAINT without lock_timeout
-- fixture: orders
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_price_positive CHECK (price >= 0);
-- UP
ALTER TABLE orders DROP CONSTRAINT orders_price_positive;
