-- case: ALTER TABLE ... SET (fillfactor)
-- fixture: orders
-- UP
ALTER TABLE orders SET (fillfactor = 90);
-- DOWN
ALTER TABLE orders RESET (fillfactor);
