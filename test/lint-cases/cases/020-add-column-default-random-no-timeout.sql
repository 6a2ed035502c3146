-- case: add a column with DEFAULT random(), no lock_timeout
-- fixture: orders
-- UP
ALTER TABLE orders ADD COLUMN score float8 DEFAULT random();
-- DOWN
ALTER TABLE orders DROP COLUMN score;
