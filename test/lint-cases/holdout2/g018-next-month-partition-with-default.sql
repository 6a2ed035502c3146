-- case: next month's partition created for a range-partitioned events table that has a DEFAULT partition
-- setup: CREATE TABLE events (id bigint NOT NULL, occurred_at timestamptz NOT NULL, kind text NOT NULL, payload jsonb) PARTITION BY RANGE (occurred_at);
-- setup: CREATE TABLE events_2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
-- setup: CREATE TABLE events_default PARTITION OF events DEFAULT;
-- setup: INSERT INTO events SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute', 'view', NULL FROM generate_series(1, 20000) g;
-- setup: INSERT INTO events SELECT 20000 + g, timestamptz '2024-03-01 00:00+00' + g * interval '20 seconds', CASE WHEN g % 4 = 0 THEN 'click' ELSE 'view' END, NULL FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '3s';
CREATE TABLE events_2024_02 PARTITION OF events FOR VALUES FROM ('2024-02-01 00:00+00') TO ('2024-03-01 00:00+00');
