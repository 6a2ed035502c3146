-- case: a DO block that adds a nullable column only when information_schema says it is missing
-- fixture: orders
-- UP
SET lock_timeout = '3s';
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders' AND column_name = 'coupon_code') THEN
    ALTER TABLE orders ADD COLUMN coupon_code text;
  END IF;
END
$$;
