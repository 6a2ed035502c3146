-- case: delete the test orders of the first hours by a range on the indexed created_at column
-- fixture: orders
-- UP
DELETE FROM orders WHERE created_at < timestamptz '2024-01-01 05:00+00';
