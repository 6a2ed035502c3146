-- case: per-table autovacuum settings for orders, a higher statistics target on a column, then ANALYZE
-- fixture: orders
-- UP
ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.005);
ALTER TABLE orders ALTER COLUMN customer_id SET STATISTICS 1000;
ANALYZE orders;
