-- case: REINDEX INDEX CONCURRENTLY in a no-transaction migration
-- fixture: orders
-- pgshift:no-transaction
-- UP
REINDEX INDEX CONCURRENTLY orders_created_at_idx;
