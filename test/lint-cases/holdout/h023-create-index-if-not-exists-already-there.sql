-- case: a re-runnable migration: CREATE INDEX IF NOT EXISTS naming an index an earlier release already built
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
