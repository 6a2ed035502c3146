-- case: drop NOT NULL from a column
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;
-- DOWN
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
