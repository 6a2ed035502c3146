-- case: add a column with a constant default (cheap since PostgreSQL 11)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN priority int DEFAULT 0;
-- DOWN
ALTER TABLE orders DROP COLUMN priority;
