-- case: CREATE SCHEMA and CREATE SEQUENCE
-- fixture: orders
-- UP
CREATE SCHEMA reporting;
CREATE SEQUENCE reporting.batch_seq;
-- DOWN
DROP SCHEMA reporting CASCADE;
