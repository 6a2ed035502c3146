-- case: CREATE TRIGGER on an existing table without lock_timeout
-- fixture: orders
-- UP
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
-- DOWN
DROP TRIGGER orders_touch ON orders;
DROP FUNCTION touch();
