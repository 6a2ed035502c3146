-- case: created_at's default switched to clock_timestamp() and a new default for status
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN created_at SET DEFAULT clock_timestamp();
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';
