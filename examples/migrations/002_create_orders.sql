-- Migration: create_orders
-- Created: 2026-01-12T14:20:00

-- UP
CREATE TYPE order_state AS ENUM ('open', 'paid', 'shipped', 'cancelled');

CREATE TABLE orders (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state      order_state NOT NULL DEFAULT 'open',
    total      NUMERIC(12, 2) NOT NULL CHECK (total >= 0),
    placed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Stamp the time of every state change without trusting each writer to do it.
CREATE FUNCTION touch_placed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state <> OLD.state THEN
        NEW.placed_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION touch_placed_at();

INSERT INTO orders (user_id, state, total)
SELECT id, 'paid', 19.90 FROM users WHERE email = 'ada@example.com';

-- DOWN
DROP TABLE orders;
DROP FUNCTION touch_placed_at();
DROP TYPE order_state;
