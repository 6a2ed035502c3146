-- case: CREATE MATERIALIZED VIEW over an existing table
-- fixture: orders
-- UP
CREATE MATERIALIZED VIEW customer_order_counts AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;
-- DOWN
DROP MATERIALIZED VIEW customer_order_counts;
