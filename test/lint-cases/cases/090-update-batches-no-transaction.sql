-- case: three 1,000-row UPDATEs in a no-transaction migration (each its own transaction)
-- fixture: orders
-- pgshift:no-transaction
-- UP
UPDATE orders SET note = 'x' WHERE id BETWEEN 1 AND 1000;
UPDATE orders SET note = 'x' WHERE id BETWEEN 1001 AND 2000;
UPDATE orders SET note = 'x' WHERE id BETWEEN 2001 AND 3000;
