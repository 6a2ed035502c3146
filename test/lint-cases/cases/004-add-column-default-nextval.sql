-- case: add a column defaulting to nextval() of an existing sequence
-- fixture: orders
-- setup: CREATE SEQUENCE ticket_seq;
-- UP
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN ticket bigint DEFAULT nextval('ticket_seq');
-- DOWN
ALTER TABLE orders DROP COLUMN ticket;
