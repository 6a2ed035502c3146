-- case: create an index on a partitioned table directly, inside the migration transaction
-- setup: CREATE TABLE page_views (id bigint NOT NULL, viewed_at timestamptz NOT NULL, path text NOT NULL) PARTITION BY RANGE (viewed_at);
-- setup: CREATE TABLE page_views_2024_01 PARTITION OF page_views FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
-- setup: CREATE TABLE page_views_2024_02 PARTITION OF page_views FOR VALUES FROM ('2024-02-01 00:00+00') TO ('2024-03-01 00:00+00');
-- setup: INSERT INTO page_views SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '50 seconds', '/p/' || (g % 2000) FROM generate_series(1, 100000) g;
-- UP
SET lock_timeout = '3s';
CREATE INDEX page_views_viewed_at_idx ON page_views (viewed_at);
