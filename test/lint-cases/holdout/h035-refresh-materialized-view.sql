-- case: refresh a materialized view of per-customer totals after a data fix (not CONCURRENTLY)
-- fixture: orders
-- setup: CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, count(*) AS orders, sum(amount) AS amount FROM orders GROUP BY customer_id;
-- setup: CREATE UNIQUE INDEX customer_totals_customer_id_idx ON customer_totals (customer_id);
-- UP
SET lock_timeout = '3s';
REFRESH MATERIALIZED VIEW customer_totals;
