-- Migration: backfill_user_handles
-- Created: 2026-02-02T11:05:00
-- A data migration: add a column, fill it from existing rows, then enforce it.

-- UP
ALTER TABLE users ADD COLUMN handle TEXT;

UPDATE users
   SET handle = lower(regexp_replace(split_part(email, '@', 1), '[^a-z0-9]+', '-', 'gi'));

ALTER TABLE users ALTER COLUMN handle SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE (handle);

-- DOWN
ALTER TABLE users DROP COLUMN handle;
