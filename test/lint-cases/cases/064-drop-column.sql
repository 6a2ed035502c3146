-- case: DROP COLUMN
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders DROP COLUMN note;
-- DOWN
ALTER TABLE orders ADD COLUMN note text;
