-- case: add a new nullable column with REFERENCES
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN referrer_id bigint REFERENCES customers (id);
-- DOWN
ALTER TABLE orders DROP COLUMN referrer_id;
