/**
 * A reader and a writer on a table, from sessions of their own, started
 * while a migration's statement runs: how long each waited for it. The
 * writer takes the lock an UPDATE takes (ROW EXCLUSIVE) and one row's lock,
 * in a transaction it rolls back. Both wait at most their lock_timeout, and
 * a deadlock is found on their side first (a short deadlock_timeout), so a
 * probe never holds the migration up for long.
 */
import type { DbClient } from '../../core/ports.js';
import type { ConnectionInput } from '../connection-info.js';
import { openSession, type Session } from '../pg-client.js';

export interface Probes {
  /** Starts a reader and a writer on `table` (quoted); resolves, once both are done, with when each got through (performance.now()), or undefined for a probe that failed. */
  start(table: string): Promise<{ read: number | undefined; write: number | undefined }>;
  /** The reader's and the writer's backends, and whether each is still on its way through (since the last start). */
  readonly pids: { readonly read: number; readonly write: number };
  busy(): { read: boolean; write: boolean };
  close(): Promise<void>;
}

export async function openProbes(connection: ConnectionInput, waitMs: number): Promise<Probes> {
  const settings = { lockTimeoutMs: waitMs, statementTimeoutMs: waitMs };
  const [reader, writer] = await Promise.all([openSession(connection, settings), openSession(connection, settings)]);
  // Only a superuser may set it; elsewhere the server's second is the wait before a deadlock is found.
  await Promise.all([reader, writer].map((s) => s.client.query(`SET deadlock_timeout = '50ms'`).catch(() => {})));
  const pid = async (s: Session) => (await s.client.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid')).rows[0]!.pid;
  const pids = { read: await pid(reader), write: await pid(writer) };
  const busy = { read: false, write: false };
  const timed = async (which: 'read' | 'write', work: () => Promise<unknown>) => {
    busy[which] = true;
    try {
      const done = await work();
      return typeof done === 'number' ? done : performance.now();
    } catch {
      return undefined;
    } finally {
      busy[which] = false;
    }
  };
  return {
    start: async (table) => {
      const read = timed('read', () => reader.client.query(`SELECT 1 FROM ${table} LIMIT 1`));
      const write = timed('write', () => writeOne(writer.client, table));
      return { read: await read, write: await write };
    },
    pids,
    busy: () => ({ ...busy }),
    close: async () => {
      await Promise.all([reader, writer].map((s: Session) => s.close()));
    },
  };
}

/** When the writer got its locks (performance.now()), before its transaction is rolled back. */
async function writeOne(client: DbClient, table: string): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(
      `LOCK TABLE ${table} IN ROW EXCLUSIVE MODE; SELECT 1 FROM ${table} WHERE ctid = (SELECT ctid FROM ${table} LIMIT 1) FOR NO KEY UPDATE`,
    );
    return performance.now();
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}
