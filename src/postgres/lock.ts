import type { DbClient } from '../core/ports.js';
import { fail } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import type { ConnectionInput } from './connection-info.js';
import { databaseError } from './database-error.js';
import { openSession, type Session, type SessionSettings } from './pg-client.js';
import { LOCK_HOLDER, TRY_LOCK } from './sql.js';

export interface LockOptions {
  /** The tracking table the lock guards. */
  readonly table: TableName;
  /** How long to wait for another run to finish, in milliseconds. */
  readonly waitMs: number;
  /** Called once, when the lock is found taken, with a description of the holder. */
  readonly onWait?: (holder: string) => void;
}

/** The migration lock, held by a session of its own. */
export interface MigrationLock {
  readonly waitedMs: number;
  /** The tracking table's schema, as the server resolved it when the lock was taken. */
  readonly schema: string;
  /** The server's major version. */
  readonly major: number;
  /** The lock's session, idle outside any transaction: the only other use of it is to see who a migration waits behind (blockers.ts). */
  readonly client: DbClient;
  /** False once the lock's session has ended (terminated by someone, say): the lock is gone with it. */
  held(): boolean;
  /** Frees the lock by ending its session. Never throws. */
  release(): Promise<void>;
}

/**
 * Takes the migration lock on a session of its own, never the one the
 * migrations run on: a migration may release every advisory lock of its
 * session (`pg_advisory_unlock_all()`, `DISCARD ALL`) or reset its settings,
 * and neither may let a second run in. The lock session stays idle, outside
 * any transaction, so it holds no snapshot a `CREATE INDEX CONCURRENTLY`
 * would wait for.
 */
export async function takeLock(connection: ConnectionInput, settings: SessionSettings, options: LockOptions): Promise<MigrationLock> {
  const session = await openSession(connection, settings);
  try {
    const { waitedMs, schema, major } = await acquire(session.client, options);
    return { waitedMs, schema, major, client: session.client, held: () => session.alive(), release: () => session.close() };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * Polls `pg_try_advisory_lock`. A session blocked in `pg_advisory_lock`
 * would hold a snapshot that `CREATE INDEX CONCURRENTLY` in the holder's
 * migration waits for: a deadlock neither side reports. Polling never
 * blocks, so it cannot take part in one.
 */
async function acquire(client: DbClient, options: LockOptions): Promise<{ waitedMs: number; schema: string; major: number }> {
  const started = Date.now();
  let delay = 20;
  let holder: string | undefined;
  const { table } = options;
  for (;;) {
    let row: { ok: boolean | null; key: string | null; schema: string | null; major: number } | undefined;
    try {
      row = (await client.query<NonNullable<typeof row>>(TRY_LOCK, [table.sql, table.schema ?? null, table.table])).rows[0];
    } catch (error) {
      throw databaseError(error, 'taking the migration lock');
    }
    if (!row || row.schema === null || row.key === null) {
      throw fail('DATABASE_ERROR', `no schema to keep the tracking table ${table.display} in: search_path names no schema that exists`, {
        hint: 'give the tracking table a schema (schema.table), or set search_path for this user to an existing schema',
        settings: ['table'],
      });
    }
    if (row.ok === true) return { waitedMs: Date.now() - started, schema: row.schema, major: Math.floor(row.major / 10_000) };
    if (holder === undefined) {
      holder = await describeHolder(client, row.key);
      options.onWait?.(holder);
    }
    const waited = Date.now() - started;
    if (waited >= options.waitMs) {
      holder = await describeHolder(client, row.key);
      throw fail('LOCK_WAIT_TIMEOUT', `another migration run holds the lock (${holder}); gave up after ${(waited / 1000).toFixed(1)} s`, {
        hint: 'wait for that run to finish, or raise the lock wait; if it is stuck, end that session with pg_terminate_backend(pid)',
        settings: ['lockWait'],
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

/** Re-exported for the engine: the run's own session type. */
export type { Session };
