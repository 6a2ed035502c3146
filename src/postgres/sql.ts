/**
 * The engine's own SQL, in one place: the tracking table, the lock. Values
 * go in `$n` parameters, except in the one-message transaction of a
 * migration (the simple protocol takes none), where they are quoted here.
 */
import { quoteIdent } from '../core/identifier.js';
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

/** What a run knows of its tracking table once it holds the lock, to check each write against. */
export interface TrackingGuard {
  /** The table's OID, resolved once. */
  readonly oid: number;
  /** Its file node: a TRUNCATE or a rewrite of the table gives it a new one. */
  readonly filenode: string;
  /** The server has client_connection_check_interval (PostgreSQL 14+). */
  readonly checkInterval: boolean;
  /**
   * A tenant's schema, as the session's search_path: set with the session's
   * settings, so a session shared by tenants (`SessionPool`) gets it for each
   * run and again after each migration's RESET ALL.
   */
  readonly searchPath?: string | undefined;
  /** How many rows the table held before this migration. */
  readonly rows: number;
  /**
   * How many of them this transaction wrote itself: 0, but for a run that
   * keeps one transaction open across its migrations (`fleet migrate
   * --atomic`), where each earlier migration's row is its own.
   */
  readonly ownRows?: number;
}

/**
 * What a run sets on its session: the file check reads strings the standard
 * way; a killed run's migration must stop; a tenant's migrations run in its schema.
 */
export const sessionSettings = ({ checkInterval, searchPath }: Pick<TrackingGuard, 'checkInterval' | 'searchPath'>): string =>
  `pg_catalog.set_config('standard_conforming_strings', 'on', false)${
    checkInterval ? `, pg_catalog.set_config('client_connection_check_interval', '1000', false)` : ''
  }${searchPath !== undefined ? `, pg_catalog.set_config('search_path', ${quoteLiteral(quoteIdent(searchPath))}, false)` : ''}`;

/** Sets the session up and reads what the tracking writes are checked against; $1 the qualified table. */
export const setUpSession = (guard: Pick<TrackingGuard, 'checkInterval' | 'searchPath'>): string =>
  `SELECT ${sessionSettings(guard)}, pg_catalog.pg_backend_pid() AS pid, c.oid::pg_catalog.int8 AS oid, pg_catalog.pg_relation_filenode(c.oid)::text AS filenode
     FROM (SELECT pg_catalog.to_regclass($1)::pg_catalog.oid AS oid) AS c`;

/**
 * A failure raised from plain SQL: the cast fails with the text, and
 * `guardFailure` finds it again. concat() is only stable, so the planner
 * does not fold the cast of a constant (which would fail every time) but
 * leaves it to the CASE branch that needs it.
 */
const failWith = (text: string): string => `pg_catalog.concat(${quoteLiteral(`pgshift: ${text}`)})::pg_catalog.int4`;

/** The text of a failure raised by `failWith`, or undefined for any other error message. */
export function guardFailure(message: string): string | undefined {
  return /^invalid input syntax for (?:type )?integer: "pgshift: (.*)"$/s.exec(message)?.[1];
}

/** The server's measure of the transaction so far, in whole milliseconds. */
export const SERVER_DURATION = "(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::pg_catalog.int4";

/**
 * What follows a migration's SQL, in the same transaction (or, without one,
 * in one message of its own): nothing of pgshift's depends on what the
 * migration did to its session, and nothing the migration did to pgshift's
 * state passes unseen.
 * 1. A reset client_connection_check_interval fails the migration: without
 *    it a killed run's migration would be committed by the server all the
 *    same. (Checked with pg_catalog operators: the migration's search_path
 *    is still in force.)
 * 2. The session is put back as it was (role, settings, search_path,
 *    prepared statements, cursors, temporary tables), so the tracking write
 *    and the next migration start from the same state whatever this one did.
 * 3. The tracking row is written and checked: one row, in the table
 *    resolved at the start; the table not emptied or rewritten (its file
 *    node), and holding as many rows as before, none written by this
 *    transaction (an xmin no older than its own: age <= 0, subtransactions
 *    included) but the `ownRows` it wrote for earlier migrations. The main query sees the table as it was before the WITH
 *    wrote to it, so the migration's doings are all it sees.
 */
export function afterMigration(table: TableName, m: Migration, direction: 'up' | 'down', duration: string, guard: TrackingGuard): string {
  const name = table.display;
  const oid = `${guard.oid}::pg_catalog.oid`;
  const check = guard.checkInterval
    ? `SELECT CASE WHEN pg_catalog.current_setting('client_connection_check_interval') OPERATOR(pg_catalog.<>) '1s' THEN ${failWith(
        'the migration reset client_connection_check_interval, which pgshift needs to stop a migration whose run was killed',
      )} END;\n`
    : '';
  const write =
    direction === 'up'
      ? `INSERT INTO ${table.sql} (version, name, checksum, duration_ms) VALUES (${m.version}, ${quoteLiteral(m.name)}, ${quoteLiteral(m.checksum)}, ${duration}) RETURNING tableoid, version`
      : `DELETE FROM ${table.sql} WHERE version = ${m.version} RETURNING tableoid, version`;
  return `${check}SET SESSION AUTHORIZATION DEFAULT;
RESET ALL;
DEALLOCATE ALL;
CLOSE ALL;
DISCARD TEMP;
WITH written AS (${write})
SELECT ${sessionSettings(guard)}, CASE
  WHEN (SELECT pg_catalog.count(*) FROM written WHERE tableoid = ${oid} AND version = ${m.version}) <> 1
    THEN ${failWith(`the tracking row of version ${m.version} was not ${direction === 'up' ? 'written to' : 'removed from'} ${name} (a trigger or rule on it?)`)}
  WHEN pg_catalog.pg_relation_filenode(${oid}::pg_catalog.regclass) IS DISTINCT FROM ${quoteLiteral(guard.filenode)}::pg_catalog.oid
    THEN ${failWith(`the migration emptied or rewrote the tracking table ${name}`)}
  WHEN (SELECT pg_catalog.count(*) <> ${guard.rows} OR pg_catalog.count(*) FILTER (WHERE pg_catalog.age(xmin) <= 0) <> ${guard.ownRows ?? 0} FROM ${table.sql})
    THEN ${failWith(`the migration changed rows of the tracking table ${name}`)}
END AS guard`;
}

/** Records a file's checksum for an applied version, if the row still holds what was read ($3, null for none). */
export const recordChecksum = (table: TableName): string =>
  `UPDATE ${table.sql} SET checksum = $1 WHERE version = $2 AND checksum IS NOT DISTINCT FROM $3`;

/**
 * One statement, one round trip per attempt, on the lock's own session:
 * - the key is a hash of the table's schema-qualified name as the server
 *   resolves it (search_path), so `schema_migrations` and
 *   `public.schema_migrations` share one lock, and other tables do not;
 * - it returns that schema, which every later statement of the run names;
 * - idle_session_timeout (PostgreSQL 14+) is turned off for this session,
 *   which sits idle holding the lock while the migrations run.
 * Parameters: $1 the quoted table name, $2 its schema or null, $3 its name.
 */
export const TRY_LOCK = `
SELECT pg_catalog.pg_try_advisory_lock(k) AS ok, k::text AS key, schema,
       pg_catalog.current_setting('server_version_num')::int AS major,
       CASE WHEN pg_catalog.current_setting('server_version_num')::int >= 140000
            THEN pg_catalog.set_config('idle_session_timeout', '0', false) END AS idle
  FROM (SELECT schema, pg_catalog.hashtextextended('pgshift:' || schema || '.' || $3, 0) AS k
          FROM (SELECT coalesce(
                  (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.oid = pg_catalog.to_regclass($1)),
                  $2, pg_catalog.current_schema()) AS schema) AS s) AS lock_key`;

/** The session holding advisory lock key $1 in this database. */
export const LOCK_HOLDER = `
SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start AS since
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`;
