-- case: SET NOT NULL with no CHECK constraint to prove it
-- fixture: orders
-- setup: UPDATE orders SET note = 'none' WHERE note IS NULL;
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
-- DOWN
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;
