-- case: a new NOT NULL column whose default is an IMMUTABLE SQL function created just before
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE FUNCTION default_currency() RETURNS char(3) LANGUAGE sql IMMUTABLE AS $$ SELECT 'EUR'::char(3) $$;
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT default_currency();
