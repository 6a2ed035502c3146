-- case: Rails enable_extension "pg_trgm" and add_index on orders.note using gin with gin_trgm_ops
-- fixture: orders
-- UP
SET lock_timeout = '5s';
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX index_orders_on_note_trgm ON orders USING gin (note gin_trgm_ops);
