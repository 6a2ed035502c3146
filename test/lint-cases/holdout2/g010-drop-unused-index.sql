-- case: drop an index the application no longer uses
-- fixture: orders
-- UP
SET lock_timeout = '2s';
DROP INDEX IF EXISTS orders_created_at_idx;
