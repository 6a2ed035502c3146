-- case: add a PRIMARY KEY USING a unique index built earlier, on a NOT NULL column
-- setup: CREATE TABLE shipments (id bigint NOT NULL, tracking text);
-- setup: INSERT INTO shipments SELECT g, 't' || g FROM generate_series(1, 100000) g;
-- setup: CREATE UNIQUE INDEX shipments_id_idx ON shipments (id);
-- UP
SET lock_timeout = '2s';
ALTER TABLE shipments ADD CONSTRAINT shipments_pkey PRIMARY KEY USING INDEX shipments_id_idx;
