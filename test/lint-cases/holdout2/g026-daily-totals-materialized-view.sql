-- case: a materialized view of daily order totals, with a unique index for later concurrent refreshes
-- fixture: orders
-- UP
CREATE MATERIALIZED VIEW daily_order_totals AS
  SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(price) AS revenue
  FROM orders GROUP BY 1;
CREATE UNIQUE INDEX daily_order_totals_day_key ON daily_order_totals (day);
