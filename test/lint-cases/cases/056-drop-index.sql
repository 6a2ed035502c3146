-- case: DROP INDEX without CONCURRENTLY
-- fixture: orders
-- UP
SET lock_timeout = '2s';
DROP INDEX orders_created_at_idx;
-- DOWN
CREATE INDEX orders_created_at_idx ON orders (created_at);
