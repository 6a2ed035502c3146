-- case: an updated_at trigger (function and trigger) and a view replaced to expose the column
-- fixture: orders
-- setup: ALTER TABLE orders ADD COLUMN updated_at timestamptz;
-- setup: CREATE VIEW open_orders AS SELECT id, customer_id, amount FROM orders WHERE status = 'new';
-- UP
SET lock_timeout = '3s';
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER orders_touch_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE OR REPLACE VIEW open_orders AS SELECT id, customer_id, amount, updated_at FROM orders WHERE status = 'new';
