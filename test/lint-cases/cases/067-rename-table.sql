-- case: RENAME a table
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders RENAME TO purchases;
-- DOWN
ALTER TABLE purchases RENAME TO orders;
