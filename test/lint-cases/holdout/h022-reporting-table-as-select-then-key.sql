-- case: a reporting schema and table built with CREATE TABLE AS from orders, then indexed and keyed
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily_revenue AS SELECT created_at::date AS day, count(*) AS orders, sum(price) AS revenue FROM orders GROUP BY 1;
CREATE UNIQUE INDEX daily_revenue_day_idx ON reporting.daily_revenue (day);
ALTER TABLE reporting.daily_revenue ADD CONSTRAINT daily_revenue_pkey PRIMARY KEY USING INDEX daily_revenue_day_idx;
-- DOWN
DROP SCHEMA reporting CASCADE;
