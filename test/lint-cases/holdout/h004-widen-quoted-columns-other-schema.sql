-- case: widen two varchar columns of a quoted, mixed-case table in a crm schema in one ALTER TABLE
-- setup: CREATE SCHEMA crm;
-- setup: CREATE TABLE crm."Contacts" ("Id" bigint PRIMARY KEY, "Email" varchar(64) NOT NULL, "FullName" varchar(80));
-- setup: INSERT INTO crm."Contacts" SELECT g, 'user' || g || '@example.org', 'Contact ' || g FROM generate_series(1, 100000) g;
-- setup: CREATE UNIQUE INDEX "Contacts_Email_key" ON crm."Contacts" ("Email");
-- UP
SET lock_timeout = '3s';
ALTER TABLE crm."Contacts" ALTER COLUMN "Email" TYPE varchar(320), ALTER COLUMN "FullName" TYPE varchar(200);
