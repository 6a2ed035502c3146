-- case: add a column with a constant default without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;
-- DOWN
ALTER TABLE orders DROP COLUMN priority;
