-- case: detach the 2023 partition of measurements concurrently, to archive it later
-- setup: CREATE TABLE measurements (device_id int NOT NULL, taken_at timestamptz NOT NULL, value double precision) PARTITION BY RANGE (taken_at);
-- setup: CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01 00:00+00') TO ('2024-01-01 00:00+00');
-- setup: CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
-- setup: INSERT INTO measurements SELECT g % 200, timestamptz '2023-06-01 00:00+00' + g * interval '5 minutes', g / 7.0 FROM generate_series(1, 100000) g;
-- setup: CREATE INDEX measurements_device_idx ON measurements (device_id, taken_at);
-- pgshift:no-transaction
-- UP
SET lock_timeout = '5s';
ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;
