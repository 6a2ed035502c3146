-- case: a table created earlier in the file, then altered and indexed (it is empty)
-- fixture: orders
-- UP
CREATE TABLE refunds (id int PRIMARY KEY, order_id int, reason varchar(10));
ALTER TABLE refunds ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE refunds ALTER COLUMN id TYPE bigint;
ALTER TABLE refunds ALTER COLUMN reason SET NOT NULL;
CREATE INDEX refunds_order_id_idx ON refunds (order_id);
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_key UNIQUE (reason);
-- DOWN
DROP TABLE refunds;
