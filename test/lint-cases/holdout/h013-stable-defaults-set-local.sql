-- case: SET LOCAL lock_timeout, then one ALTER TABLE adding two columns with stable defaults (CURRENT_DATE, now() plus an interval)
-- fixture: orders
-- UP
SET LOCAL lock_timeout = '2s';
ALTER TABLE orders
  ADD COLUMN booked_on date DEFAULT CURRENT_DATE,
  ADD COLUMN expires_at timestamptz DEFAULT now() + interval '30 days';
