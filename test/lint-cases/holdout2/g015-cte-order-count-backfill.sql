-- case: backfill customers.order_count from orders with a CTE and UPDATE ... FROM
-- fixture: orders
-- setup: ALTER TABLE customers ADD COLUMN order_count int;
-- UP
WITH counts AS (
  SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id
)
UPDATE customers c SET order_count = counts.n FROM counts WHERE c.id = counts.customer_id;
