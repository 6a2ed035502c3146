-- case: a CHECK added to a domain that a large table's column uses
-- setup: CREATE DOMAIN quantity AS integer;
-- setup: CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id int NOT NULL, sku text NOT NULL, qty quantity NOT NULL);
-- setup: INSERT INTO order_lines SELECT g, 1 + g % 50000, 'sku-' || (g % 300), 1 + g % 5 FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '3s';
ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0);
