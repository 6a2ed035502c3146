-- case: add a stored generated column
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN amount_cents bigint GENERATED ALWAYS AS (amount * 100) STORED;
-- DOWN
ALTER TABLE orders DROP COLUMN amount_cents;
