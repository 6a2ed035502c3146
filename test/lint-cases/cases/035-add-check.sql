-- case: add a CHECK constraint without NOT VALID
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_price_positive CHECK (price >= 0);
-- DOWN
ALTER TABLE orders DROP CONSTRAINT orders_price_positive;
