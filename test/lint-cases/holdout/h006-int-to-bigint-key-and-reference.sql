-- case: widen a referenced integer key and its referencing column to bigint in a billing schema
-- setup: CREATE SCHEMA billing;
-- setup: CREATE TABLE billing.invoices (id int PRIMARY KEY, total numeric(12,2) NOT NULL);
-- setup: INSERT INTO billing.invoices SELECT g, g % 997 FROM generate_series(1, 100000) g;
-- setup: CREATE TABLE billing.invoice_lines (id int PRIMARY KEY, invoice_id int NOT NULL REFERENCES billing.invoices (id), amount numeric(12,2) NOT NULL);
-- setup: INSERT INTO billing.invoice_lines SELECT g, 1 + g % 100000, g % 97 FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '3s';
ALTER TABLE billing.invoice_lines ALTER COLUMN invoice_id TYPE bigint;
ALTER TABLE billing.invoices ALTER COLUMN id TYPE bigint;
