-- case: retype orders.code to a new domain over text that has no constraint
-- fixture: orders
-- UP
SET lock_timeout = '3s';
CREATE DOMAIN sku AS text;
ALTER TABLE orders ALTER COLUMN code TYPE sku;
-- DOWN
ALTER TABLE orders ALTER COLUMN code TYPE text;
DROP DOMAIN sku;
