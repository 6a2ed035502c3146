-- case: convert an indexed timestamp (without time zone) column to timestamptz; the server's TimeZone is UTC
-- setup: CREATE TABLE audit_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, actor text NOT NULL, action text NOT NULL, occurred_at timestamp NOT NULL);
-- setup: INSERT INTO audit_events (actor, action, occurred_at) SELECT 'user' || (g % 300), CASE WHEN g % 2 = 0 THEN 'login' ELSE 'logout' END, timestamp '2024-01-01' + g * interval '30 seconds' FROM generate_series(1, 100000) g;
-- setup: CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);
-- UP
SET lock_timeout = '3s';
ALTER TABLE audit_events ALTER COLUMN occurred_at TYPE timestamptz;
