-- case: change a column to its own type with a USING expression
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN amount TYPE int USING amount + 0;
