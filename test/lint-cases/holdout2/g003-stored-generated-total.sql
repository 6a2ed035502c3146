-- case: a stored generated column with the order total in cents
-- fixture: orders
-- UP
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((price * 100)::bigint) STORED;
