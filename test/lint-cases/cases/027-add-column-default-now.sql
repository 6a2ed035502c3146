-- case: add a column with DEFAULT now() (stable, not volatile)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN imported_at timestamptz NOT NULL DEFAULT now();
-- DOWN
ALTER TABLE orders DROP COLUMN imported_at;
