-- case: give orders a public uuid for external APIs, filled by gen_random_uuid() as the column default
-- fixture: orders
-- UP
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
