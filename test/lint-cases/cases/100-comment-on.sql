-- case: COMMENT ON TABLE and COLUMN
-- fixture: orders
-- UP
COMMENT ON TABLE orders IS 'customer orders';
COMMENT ON COLUMN orders.note IS 'free text';
