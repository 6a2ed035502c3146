-- case: copy each customer's name onto all their orders with UPDATE ... FROM
-- fixture: orders
-- setup: ALTER TABLE orders ADD COLUMN customer_name varchar(50);
-- UP
UPDATE orders o SET customer_name = c.name FROM customers c WHERE c.id = o.customer_id;
