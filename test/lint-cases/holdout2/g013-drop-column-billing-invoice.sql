-- case: drop a column of a mixed-case table in the billing schema
-- setup: CREATE SCHEMA billing;
-- setup: CREATE TABLE billing."Invoice" ("id" serial PRIMARY KEY, "customerId" bigint NOT NULL, "legacyRef" text, "total" numeric(12,2) NOT NULL);
-- setup: INSERT INTO billing."Invoice" ("customerId", "legacyRef", "total") SELECT 1 + g % 5000, 'L-' || g, g % 900 FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '2s';
ALTER TABLE "billing"."Invoice" DROP COLUMN "legacyRef";
