-- case: only statement_timeout set before changing a column default
-- fixture: orders
-- UP
SET statement_timeout = '30s';
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';
