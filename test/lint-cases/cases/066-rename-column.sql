-- case: RENAME COLUMN
-- fixture: orders
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders RENAME COLUMN note TO comment;
-- DOWN
ALTER TABLE orders RENAME COLUMN comment TO note;
