import type pg from 'pg';
import { PgshiftError } from '../core/errors.js';
import type { TableName } from '../core/table-name.js';
import { databaseError } from './database-error.js';

export interface LockOptions {
  /** The tracking table the lock guards. */
  readonly table: TableName;
  /** How long to wait for another run to finish, in milliseconds. */
  readonly waitMs: number;
  /** Called once, when the lock is found taken, with a description of the holder. */
  readonly onWait?: (holder: string) => void;
}

/**
 * Takes the session-level advisory lock by polling `pg_try_advisory_lock`.
 * A session blocked in `pg_advisory_lock` would hold a snapshot that
 * `CREATE INDEX CONCURRENTLY` in the holder's migration waits for: a deadlock
 * neither side reports. Polling never blocks, so it cannot take part in one.
 * The lock lives as long as the session; ending the connection frees it.
 * Returns how long it waited, in milliseconds.
 */
export async function acquireLock(client: pg.Client, options: LockOptions): Promise<number> {
  const started = Date.now();
  let delay = 20;
  let holder: string | undefined;
  const { table } = options;
  for (;;) {
    let acquired: boolean;
    let key: string;
    try {
      const result = await client.query<{ ok: boolean; key: string }>(LOCK_SQL, [table.sql, table.schema ?? null, table.table]);
      acquired = result.rows[0]?.ok === true;
      key = result.rows[0]?.key ?? '0';
    } catch (error) {
      throw databaseError(error, 'taking the migration lock');
    }
    if (acquired) return Date.now() - started;
    if (holder === undefined) {
      holder = await describeHolder(client, key);
      options.onWait?.(holder);
    }
    const waited = Date.now() - started;
    if (waited >= options.waitMs) {
      holder = await describeHolder(client, key);
      throw new PgshiftError(
        'LOCK_WAIT_TIMEOUT',
        `another migration run holds the lock (${holder}); gave up after ${(waited / 1000).toFixed(1)} s`,
        { hint: 'wait for that run to finish, or raise --lock-wait; if it is stuck, end that session with pg_terminate_backend(pid)' },
      );
    }
    await sleep(Math.min(delay, options.waitMs - waited));
    delay = Math.min(delay * 2, 500);
  }
}

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
 */
const LOCK_SQL = `
SELECT pg_try_advisory_lock(k) AS ok, k::text AS key,
       set_config('standard_conforming_strings', 'on', false) AS scs,
       CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN set_config('client_connection_check_interval', '1000', false) END AS check_interval
  FROM (SELECT hashtextextended('pgshift:' || coalesce(
          (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)),
          $2, current_schema()) || '.' || $3, 0) AS k) AS lock_key`;

/** `application_name "pgshift", pid 1234, from 10.0.0.5, since …` for the session that holds the key. */
async function describeHolder(client: pg.Client, key: string): Promise<string> {
  try {
    const { rows } = await client.query<{ pid: number; application_name: string; client_addr: string | null; since: Date | null }>(
      `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start AS since
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`,
      [key],
    );
    const row = rows[0];
    if (!row) return 'a session that has just ended';
    const from = row.client_addr ? `, from ${row.client_addr}` : '';
    const since = row.since ? `, connected since ${row.since.toISOString()}` : '';
    return `application_name "${row.application_name}", pid ${row.pid}${from}${since}`;
  } catch {
    return 'a session pgshift may not inspect';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));
}
