-- case: a procedure that enforces NOT NULL through dynamic SQL, created and CALLed in the migration
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE PROCEDURE require_column(tbl regclass, col name) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', tbl, col);
END
$$;
CALL require_column('orders', 'code');
