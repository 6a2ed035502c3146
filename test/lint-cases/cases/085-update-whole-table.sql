-- case: UPDATE most rows of an existing table in the migration transaction
-- fixture: orders
-- UP
UPDATE orders SET status = 'open' WHERE status = 'new';
