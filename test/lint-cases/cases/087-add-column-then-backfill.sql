-- case: add a nullable column, then backfill it with one UPDATE
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN total int;
UPDATE orders SET total = amount * 2;
-- DOWN
ALTER TABLE orders DROP COLUMN total;
