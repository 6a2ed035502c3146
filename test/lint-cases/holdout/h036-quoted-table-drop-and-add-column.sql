-- case: one ALTER TABLE on a quoted, mixed-case table in a crm schema: drop a column and add its replacement
-- setup: CREATE SCHEMA crm;
-- setup: CREATE TABLE crm."Accounts" ("Id" bigint PRIMARY KEY, "LegacyCode" varchar(12), "Name" text NOT NULL);
-- setup: INSERT INTO crm."Accounts" SELECT g, 'L' || g, 'Account ' || g FROM generate_series(1, 20000) g;
-- UP
SET lock_timeout = '3s';
ALTER TABLE crm."Accounts" DROP COLUMN "LegacyCode", ADD COLUMN "ExternalCode" text;
