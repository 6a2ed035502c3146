-- case: one big UPDATE in a no-transaction migration
-- fixture: orders
-- pgshift:no-transaction
-- UP
UPDATE orders SET status = 'open' WHERE status = 'new';
