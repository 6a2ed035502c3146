-- case: rebuild a bloated index concurrently
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '5s';
REINDEX INDEX CONCURRENTLY orders_created_at_idx;
