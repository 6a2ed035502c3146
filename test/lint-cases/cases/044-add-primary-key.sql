-- case: add a PRIMARY KEY to a table that has none
-- setup: CREATE TABLE shipments (id bigint, tracking text);
-- setup: INSERT INTO shipments SELECT g, 't' || g FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '2s';
ALTER TABLE shipments ADD PRIMARY KEY (id);
-- DOWN
ALTER TABLE shipments DROP CONSTRAINT shipments_pkey;
