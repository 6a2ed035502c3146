-- case: add a NOT NULL column with a constant default
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN archived boolean NOT NULL DEFAULT false;
-- DOWN
ALTER TABLE orders DROP COLUMN archived;
