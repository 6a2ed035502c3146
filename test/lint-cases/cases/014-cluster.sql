-- case: CLUSTER a table on an index
-- fixture: orders
-- UP
SET lock_timeout = '2s';
CLUSTER orders USING orders_created_at_idx;
