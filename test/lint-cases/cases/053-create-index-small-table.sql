-- case: CREATE INDEX without CONCURRENTLY on a five-row table
-- fixture: countries
-- UP
SET lock_timeout = '2s';
CREATE INDEX countries_name_idx ON countries (name);
-- DOWN
DROP INDEX countries_name_idx;
