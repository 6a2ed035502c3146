-- case: document the orders table and a column, and grant read access
-- fixture: orders
-- UP
COMMENT ON TABLE orders IS 'Customer orders, one row per checkout';
COMMENT ON COLUMN orders.status IS 'new, paid, shipped or cancelled';
GRANT SELECT ON orders TO PUBLIC;
