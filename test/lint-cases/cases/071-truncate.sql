-- case: TRUNCATE an existing table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
TRUNCATE orders;
