-- case: split notes out of orders: a new order_notes table referencing orders, filled from orders.note
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE TABLE order_notes (order_id int PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE, body text NOT NULL);
INSERT INTO order_notes (order_id, body) SELECT id, note FROM orders WHERE note IS NOT NULL;
