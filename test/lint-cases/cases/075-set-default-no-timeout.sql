-- case: change a column default without lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';
-- DOWN
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
