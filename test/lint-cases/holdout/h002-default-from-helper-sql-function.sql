-- case: a helper SQL function (no volatility declared) created and used as a new column's default
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE FUNCTION default_region() RETURNS text LANGUAGE sql AS $$ SELECT 'eu-west' $$;
ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT default_region();
-- DOWN
ALTER TABLE orders DROP COLUMN region;
DROP FUNCTION default_region();
