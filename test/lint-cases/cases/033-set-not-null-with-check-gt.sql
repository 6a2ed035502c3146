-- case: SET NOT NULL after a validated CHECK (amount >= 0), which lets NULLs through
-- fixture: orders
-- setup: UPDATE orders SET amount = 0 WHERE amount IS NULL;
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount >= 0);
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;
-- DOWN
ALTER TABLE orders ALTER COLUMN amount DROP NOT NULL;
