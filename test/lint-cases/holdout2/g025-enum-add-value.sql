-- case: add a value to an enum type that a large table's column uses
-- fixture: orders
-- setup: CREATE TYPE order_channel AS ENUM ('web', 'store');
-- setup: ALTER TABLE orders ADD COLUMN channel order_channel NOT NULL DEFAULT 'web';
-- UP
ALTER TYPE order_channel ADD VALUE IF NOT EXISTS 'phone' AFTER 'web';
