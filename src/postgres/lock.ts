import type { DbClient } from '../core/ports.js';
import { fail } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import { databaseError } from './database-error.js';
import { LOCK_HOLDER, TRY_LOCK } from './sql.js';

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
export async function acquireLock(client: DbClient, options: LockOptions): Promise<number> {
  const started = Date.now();
  let delay = 20;
  let holder: string | undefined;
  const { table } = options;
  for (;;) {
    let acquired: boolean;
    let key: string;
    try {
      const result = await client.query<{ ok: boolean; key: string }>(TRY_LOCK, [table.sql, table.schema ?? null, table.table]);
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
      throw fail('LOCK_WAIT_TIMEOUT', `another migration run holds the lock (${holder}); gave up after ${(waited / 1000).toFixed(1)} s`, {
        hint: 'wait for that run to finish, or raise the lock wait; if it is stuck, end that session with pg_terminate_backend(pid)',
        setting: 'lockWait',
      });
    }
    await sleep(Math.min(delay, options.waitMs - waited));
    delay = Math.min(delay * 2, 500);
  }
}

/** `application_name "pgshift", pid 1234, from 10.0.0.5, since …` for the session that holds the key. */
async function describeHolder(client: DbClient, key: string): Promise<string> {
  try {
    const { rows } = await client.query<{ pid: number; application_name: string; client_addr: string | null; since: Date | null }>(
      LOCK_HOLDER,
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
