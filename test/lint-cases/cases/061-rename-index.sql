-- case: rename an index
-- fixture: orders
-- UP
ALTER INDEX orders_created_at_idx RENAME TO orders_created_idx;
-- DOWN
ALTER INDEX orders_created_idx RENAME TO orders_created_at_idx;
