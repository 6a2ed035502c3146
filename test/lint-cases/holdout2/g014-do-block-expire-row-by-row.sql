-- case: a DO block expiring unpaid orders of the first two weeks, one UPDATE per row in a loop
-- fixture: orders
-- UP
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT id FROM orders WHERE status = 'new' AND created_at < timestamptz '2024-01-15 00:00+00' LOOP
    UPDATE orders SET status = 'expired' WHERE id = r.id;
  END LOOP;
END
$$;
