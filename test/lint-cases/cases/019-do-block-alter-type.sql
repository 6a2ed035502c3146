-- case: a DO block whose body changes a column type (not analysed statically)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
DO $$
BEGIN
  ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
END
$$;
