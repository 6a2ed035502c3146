-- case: a DO block that creates a type if missing (not analysed statically)
-- fixture: orders
-- UP
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'priority') THEN
    CREATE TYPE priority AS ENUM ('low', 'high');
  END IF;
END
$$;
-- DOWN
DROP TYPE IF EXISTS priority;
