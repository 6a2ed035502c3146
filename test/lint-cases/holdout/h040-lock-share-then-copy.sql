-- case: lock orders in SHARE mode to copy a consistent set of paid orders into a new ledger table
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE TABLE paid_ledger (order_id int PRIMARY KEY, amount numeric(10,2) NOT NULL, paid_at timestamptz NOT NULL);
LOCK TABLE orders IN SHARE MODE;
INSERT INTO paid_ledger SELECT id, price, created_at FROM orders WHERE status = 'paid';
