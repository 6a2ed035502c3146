-- case: a data fix on a handful of orders found through unindexed columns
-- fixture: orders
-- UP
UPDATE orders SET status = 'void' WHERE amount = 999 AND note IS NULL;
