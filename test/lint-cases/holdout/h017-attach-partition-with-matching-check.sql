-- case: attach a filled table as a range partition after an earlier migration validated a CHECK matching the bounds
-- setup: CREATE TABLE metrics (id bigint NOT NULL, recorded_on date NOT NULL, value double precision) PARTITION BY RANGE (recorded_on);
-- setup: CREATE TABLE metrics_2023 PARTITION OF metrics FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
-- setup: CREATE TABLE metrics_2024 (id bigint NOT NULL, recorded_on date NOT NULL, value double precision);
-- setup: INSERT INTO metrics_2024 SELECT g, date '2024-01-01' + (g % 366), g * 0.5 FROM generate_series(1, 100000) g;
-- setup: ALTER TABLE metrics_2024 ADD CONSTRAINT metrics_2024_bounds CHECK (recorded_on >= DATE '2024-01-01' AND recorded_on < DATE '2025-01-01');
-- UP
SET lock_timeout = '3s';
ALTER TABLE metrics ATTACH PARTITION metrics_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE metrics_2024 DROP CONSTRAINT metrics_2024_bounds;
