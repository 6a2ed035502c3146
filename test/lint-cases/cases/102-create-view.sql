-- case: CREATE VIEW over an existing table
-- fixture: orders
-- UP
CREATE VIEW paid_orders AS SELECT id, customer_id, amount FROM orders WHERE status = 'paid';
-- DOWN
DROP VIEW paid_orders;
