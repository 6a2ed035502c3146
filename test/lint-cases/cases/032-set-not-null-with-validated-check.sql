-- case: SET NOT NULL after a validated CHECK (col IS NOT NULL) from an earlier migration
-- fixture: orders
-- setup: UPDATE orders SET note = 'none' WHERE note IS NULL;
-- setup: ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL);
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_note_not_null;
