-- case: add a nullable jsonb column
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN meta jsonb;
-- DOWN
ALTER TABLE orders DROP COLUMN meta;
