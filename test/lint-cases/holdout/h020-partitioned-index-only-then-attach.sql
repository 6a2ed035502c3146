-- case: index a partitioned table the online way: ON ONLY the parent, CONCURRENTLY per partition, then ATTACH
-- setup: CREATE TABLE page_views (id bigint NOT NULL, viewed_at timestamptz NOT NULL, path text NOT NULL) PARTITION BY RANGE (viewed_at);
-- setup: CREATE TABLE page_views_2024_01 PARTITION OF page_views FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
-- setup: CREATE TABLE page_views_2024_02 PARTITION OF page_views FOR VALUES FROM ('2024-02-01 00:00+00') TO ('2024-03-01 00:00+00');
-- setup: INSERT INTO page_views SELECT g, timestamptz '2024-01-01 00:00+00' + g * interval '50 seconds', '/p/' || (g % 2000) FROM generate_series(1, 100000) g;
-- pgshift:no-transaction
-- UP
SET lock_timeout = '3s';
CREATE INDEX page_views_path_idx ON ONLY page_views (path);
CREATE INDEX CONCURRENTLY page_views_2024_01_path_idx ON page_views_2024_01 (path);
ALTER INDEX page_views_path_idx ATTACH PARTITION page_views_2024_01_path_idx;
CREATE INDEX CONCURRENTLY page_views_2024_02_path_idx ON page_views_2024_02 (path);
ALTER INDEX page_views_path_idx ATTACH PARTITION page_views_2024_02_path_idx;
