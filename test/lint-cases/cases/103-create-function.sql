-- case: CREATE FUNCTION whose body would alter a table (the body is not run)
-- fixture: orders
-- UP
CREATE FUNCTION widen_amount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
END
$$;
-- DOWN
DROP FUNCTION widen_amount();
