-- case: DROP COLUMN without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders DROP COLUMN IF EXISTS note;
-- DOWN
ALTER TABLE orders ADD COLUMN note text;
