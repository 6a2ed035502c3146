-- case: lift the precision limit of orders.price: numeric(10,2) to unconstrained numeric
-- fixture: orders
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ALTER COLUMN price TYPE numeric;
