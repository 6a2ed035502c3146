-- case: switch an unlogged table to LOGGED
-- setup: CREATE UNLOGGED TABLE audit_log (id bigint PRIMARY KEY, message text);
-- setup: INSERT INTO audit_log SELECT g, 'event ' || g FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '2s';
ALTER TABLE audit_log SET LOGGED;
-- DOWN
ALTER TABLE audit_log SET UNLOGGED;
