-- case: UPDATE a single row of an existing table
-- fixture: orders
-- UP
UPDATE orders SET note = 'fixed' WHERE id = 42;
