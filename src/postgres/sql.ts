/**
 * The engine's own SQL, in one place: the tracking table, the lock. Values
 * go in `$n` parameters, except in the one-message transaction of a
 * migration (the simple protocol takes none), where they are quoted here.
 */
import type { TableName } from '../core/table-name.js';
import type { Migration } from '../core/types.js';

/**
 * A string literal: quotes doubled; a backslash makes it an E'' string with
 * backslashes doubled, so it reads the same whatever standard_conforming_strings says.
 */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** Reads the whole table; its row description tells which columns exist and of what type. */
export const selectTracking = (table: TableName): string => `SELECT * FROM ${table.sql}`;

/** The tracking table pgshift creates; pycopg's has the first three columns. */
export function createTracking(table: TableName): string {
  return `${table.schema ? `CREATE SCHEMA IF NOT EXISTS ${table.sql.split('.')[0]};\n` : ''}CREATE TABLE IF NOT EXISTS ${table.sql} (
  version BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  checksum TEXT,
  duration_ms INTEGER
)`;
}

/** Adds pgshift's columns to a table pycopg made. */
export const upgradeTracking = (table: TableName): string =>
  `ALTER TABLE ${table.sql} ADD COLUMN IF NOT EXISTS checksum TEXT, ADD COLUMN IF NOT EXISTS duration_ms INTEGER`;

/**
 * Records a migration. `duration` is SQL: inside the migration's own
 * transaction the server measures it (clock_timestamp() - now()).
 */
export function recordApplied(table: TableName, m: Migration, duration: string): string {
  return `INSERT INTO ${table.sql} (version, name, checksum, duration_ms) VALUES (${m.version}, ${quoteLiteral(m.name)}, ${quoteLiteral(m.checksum)}, ${duration})`;
}

/** The server's measure of the transaction so far, in whole milliseconds. */
export const SERVER_DURATION = '(extract(epoch FROM clock_timestamp() - now()) * 1000)::integer';

export const recordRolledBack = (table: TableName, m: Migration): string => `DELETE FROM ${table.sql} WHERE version = ${m.version}`;

/**
 * One statement, one round trip per attempt:
 * - the key is a hash of the table's schema-qualified name as the server
 *   resolves it (search_path), so `schema_migrations` and
 *   `public.schema_migrations` share one lock, and other tables do not;
 * - it sets what a run needs for the rest of the session:
 *   standard_conforming_strings on, because the file check reads strings
 *   that way and a database set to off would let a hidden COMMIT through;
 *   client_connection_check_interval (PostgreSQL 14+), because the server
 *   has the whole migration, COMMIT included, in one message, and would
 *   otherwise finish and commit it after the client was killed.
 * Parameters: $1 the quoted table name, $2 its schema or null, $3 its name.
 */
export const TRY_LOCK = `
SELECT pg_try_advisory_lock(k) AS ok, k::text AS key,
       set_config('standard_conforming_strings', 'on', false) AS scs,
       CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN set_config('client_connection_check_interval', '1000', false) END AS check_interval
  FROM (SELECT hashtextextended('pgshift:' || coalesce(
          (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)),
          $2, current_schema()) || '.' || $3, 0) AS k) AS lock_key`;

/** The session holding advisory lock key $1 in this database. */
export const LOCK_HOLDER = `
SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start AS since
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`;
