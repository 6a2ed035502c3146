-- case: ADD CHECK NOT VALID, VALIDATE and SET NOT NULL in one transaction
-- fixture: orders
-- setup: UPDATE orders SET note = 'none' WHERE note IS NULL;
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_not_null;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
