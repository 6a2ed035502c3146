/** One of everything the snapshot reads. No ICU, no optional extension: it runs on any server. */
export const EVERYTHING = `
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the app';
CREATE TYPE app.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN app.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a integer, b text COLLATE "C");
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, name text COLLATE "C");
CREATE TABLE app.orders (
  id serial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  status app.status NOT NULL DEFAULT 'new',
  total numeric(12,2) CHECK (total >= 0),
  qty app.positive,
  doubled numeric GENERATED ALWAYS AS (total * 2) STORED
) WITH (fillfactor = 90);
ALTER TABLE app.orders ADD CONSTRAINT orders_qty_check CHECK (qty < 1000) NOT VALID;
CREATE INDEX orders_user_idx ON app.orders (user_id) WHERE status <> 'shipped';
COMMENT ON TABLE app.orders IS 'orders';
COMMENT ON COLUMN app.orders.total IS 'in cents';
ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_orders ON app.orders FOR SELECT TO PUBLIC USING (user_id = 1);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE AGGREGATE app.total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
REVOKE EXECUTE ON FUNCTION app.add(int, int) FROM PUBLIC;
GRANT SELECT, INSERT ON app.orders TO PUBLIC;
GRANT UPDATE (status) ON app.orders TO PUBLIC;
CREATE VIEW app.open_orders AS SELECT id, user_id FROM app.orders WHERE status = 'new';
CREATE MATERIALIZED VIEW app.order_counts AS SELECT user_id, count(*) AS n FROM app.orders GROUP BY user_id;
CREATE RULE orders_no_delete AS ON DELETE TO app.open_orders DO INSTEAD NOTHING;
CREATE SEQUENCE app.ticket START 100 INCREMENT 5 CACHE 10 CYCLE;
CREATE TABLE app.events (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE STATISTICS app.orders_stats (dependencies) ON user_id, status FROM app.orders;
CREATE COLLATION app.bytes FROM "C";
CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = english);
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER app_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION app.on_ddl();
CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v jsonb);
ALTER TABLE app.cache REPLICA IDENTITY FULL;
CREATE TABLE app.child (extra int) INHERITS (app.cache);
`;
