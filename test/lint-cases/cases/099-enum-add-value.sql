-- case: ALTER TYPE ... ADD VALUE
-- fixture: orders
-- setup: CREATE TYPE order_state AS ENUM ('new', 'paid');
-- setup: ALTER TABLE orders ADD COLUMN state order_state;
-- UP
ALTER TYPE order_state ADD VALUE 'refunded';
