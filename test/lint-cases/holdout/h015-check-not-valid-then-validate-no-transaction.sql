-- case: a CHECK added NOT VALID and then validated, in a migration that runs without a transaction
-- fixture: orders
-- pgshift:no-transaction
-- UP
SET lock_timeout = '3s';
ALTER TABLE orders ADD CONSTRAINT orders_amount_nonnegative CHECK (amount >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_nonnegative;
