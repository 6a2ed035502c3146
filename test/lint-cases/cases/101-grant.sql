-- case: GRANT SELECT on an existing table
-- fixture: orders
-- UP
GRANT SELECT ON orders TO PUBLIC;
-- DOWN
REVOKE SELECT ON orders FROM PUBLIC;
