-- case: DELETE half of an existing table in the migration transaction
-- fixture: orders
-- UP
DELETE FROM orders WHERE id % 2 = 0;
