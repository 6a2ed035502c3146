-- Migration: index_orders_by_user
-- Created: 2026-02-20T16:45:00
-- CREATE INDEX CONCURRENTLY keeps the table writable while the index builds,
-- but PostgreSQL refuses it inside a transaction, hence the directive:
-- pgshift runs this file statement by statement.
-- pgshift:no-transaction

-- UP
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_open_idx ON orders (placed_at) WHERE state = 'open';

-- DOWN
DROP INDEX CONCURRENTLY IF EXISTS orders_open_idx;
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;
