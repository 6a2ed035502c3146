-- case: ANALYZE an existing table
-- fixture: orders
-- UP
ANALYZE orders;
