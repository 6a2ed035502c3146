-- case: add a column with DEFAULT random() (volatile: rewrites the table)
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN score float8 DEFAULT random();
-- DOWN
ALTER TABLE orders DROP COLUMN score;
