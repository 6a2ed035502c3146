-- case: SET NOT NULL proven by a validated CHECK, without lock_timeout
-- fixture: orders
-- setup: UPDATE orders SET note = 'none' WHERE note IS NULL;
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL);
-- UP
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
