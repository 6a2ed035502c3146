-- case: fill a new table from an existing one with INSERT ... SELECT
-- fixture: orders
-- UP
CREATE TABLE order_totals (customer_id bigint PRIMARY KEY, total bigint NOT NULL);
INSERT INTO order_totals SELECT customer_id, sum(amount) FROM orders GROUP BY customer_id;
-- DOWN
DROP TABLE order_totals;
