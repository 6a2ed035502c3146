-- case: a DO block backfilling a column in 5,000-row slices by id, all inside the migration transaction
-- fixture: orders
-- setup: ALTER TABLE orders ADD COLUMN amount_cents bigint;
-- UP
DO $$
DECLARE
  lo int := 0;
BEGIN
  WHILE lo < 100000 LOOP
    UPDATE orders SET amount_cents = price * 100 WHERE id > lo AND id <= lo + 5000;
    lo := lo + 5000;
  END LOOP;
END
$$;
