-- case: add a uuid column with DEFAULT gen_random_uuid() (volatile)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
-- DOWN
ALTER TABLE orders DROP COLUMN public_id;
