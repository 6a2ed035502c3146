-- case: REINDEX TABLE without CONCURRENTLY
-- fixture: orders
-- UP
SET lock_timeout = '2s';
REINDEX TABLE orders;
