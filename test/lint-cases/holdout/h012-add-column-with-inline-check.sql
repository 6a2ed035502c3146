-- case: add a quantity column with a constant default and an inline CHECK constraint
-- fixture: orders
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ADD COLUMN quantity int NOT NULL DEFAULT 1 CHECK (quantity > 0);
