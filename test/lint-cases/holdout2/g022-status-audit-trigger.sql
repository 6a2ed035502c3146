-- case: order status audit: a new audit table, a PL/pgSQL trigger function and an AFTER UPDATE OF status trigger on orders
-- fixture: orders
-- UP
CREATE TABLE order_status_changes (id bigserial PRIMARY KEY, order_id int NOT NULL, old_status varchar(10), new_status varchar(10), changed_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION log_order_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_changes (order_id, old_status, new_status) VALUES (NEW.id, OLD.status, NEW.status);
  RETURN NEW;
END
$$;
CREATE TRIGGER orders_status_audit AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION log_order_status_change();
