-- case: VACUUM FULL a table (no-transaction)
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '2s';
VACUUM FULL orders;
