-- case: move January's orders to an archive table: DELETE ... RETURNING feeding an INSERT
-- fixture: orders
-- setup: CREATE TABLE orders_archive (LIKE orders);
-- UP
WITH moved AS (DELETE FROM orders WHERE created_at < timestamptz '2024-02-01 00:00+00' RETURNING *)
INSERT INTO orders_archive SELECT * FROM moved;
