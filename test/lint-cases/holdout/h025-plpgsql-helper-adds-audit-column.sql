-- case: a PL/pgSQL helper, created and called in the migration, adds an audit column through EXECUTE
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE FUNCTION add_audit_column(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS touched_at timestamptz NOT NULL DEFAULT clock_timestamp()', target);
END
$$;
SELECT add_audit_column('orders');
