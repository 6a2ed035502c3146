-- case: turn the status column into an enum: drop the default, retype with USING, restore the default
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
ALTER TABLE orders
  ALTER COLUMN status DROP DEFAULT,
  ALTER COLUMN status TYPE order_status USING status::order_status,
  ALTER COLUMN status SET DEFAULT 'new';
