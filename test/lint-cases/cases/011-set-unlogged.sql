-- case: switch a table to UNLOGGED
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders SET UNLOGGED;
-- DOWN
ALTER TABLE orders SET LOGGED;
