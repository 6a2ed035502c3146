-- case: move a retired table out of public into a new archive schema
-- setup: CREATE TABLE legacy_coupons (code text PRIMARY KEY, discount int NOT NULL);
-- setup: INSERT INTO legacy_coupons SELECT 'C' || g, g % 50 FROM generate_series(1, 5000) g;
-- UP
SET lock_timeout = '3s';
CREATE SCHEMA archive;
ALTER TABLE legacy_coupons SET SCHEMA archive;
