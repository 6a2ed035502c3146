-- case: lock_timeout set through set_config() before adding a nullable column
-- fixture: orders
-- UP
SELECT set_config('lock_timeout', '3s', false);
ALTER TABLE orders ADD COLUMN gift_message text;
