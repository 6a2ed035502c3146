/**
 * Runs a no-transaction migration's statements as `migrate` runs them, each
 * on its own and committed, on the branch's session, over seeded tables of a
 * copy of the scratch database, and measures each from a second session: the
 * statement's own session cannot look while it runs, and once it commits its
 * transaction's locks and counts are gone. A CONCURRENTLY build must be
 * watched so anyway.
 *
 * The watcher holds ROW EXCLUSIVE on the seeded tables when a statement
 * starts, as an application's writer in the middle of its transaction does.
 * A statement that needs a lock writers conflict with (SHARE or stronger)
 * queues behind it, where pg_locks shows the mode it asked for; a
 * CONCURRENTLY build waits for the watcher's transaction to end, holding
 * SHARE UPDATE EXCLUSIVE, which pg_locks shows too. Once it sees the
 * statement wait, the watcher ends its transaction and goes on polling
 * pg_locks until the statement is done: the lock that blocks writers is
 * seen however fast the statement is; weaker ones are polled for. The time
 * the statement queued behind the watcher is not counted as its own.
 *
 * Rows read and written come from pg_stat_user_tables, which the statement's
 * session flushes after it (pg_stat_force_next_flush, PostgreSQL 15 on;
 * before 15 they are not counted). The reader and writer probes read a row
 * or two themselves, which may be counted with the statement's.
 */
import { lockStrength } from '../lock-modes.js';
import { blockAfter } from '../../core/statement-kind.js';
import type { StatementRun, TableMeasure } from '../../core/rehearsal/types.js';
import type { Statement } from '../../core/types.js';
import type { DbClient } from '../../core/ports.js';
import type { ConnectionInput } from '../connection-info.js';
import { openSession, type Session } from '../pg-client.js';
import { openProbes, type Probes } from './probe.js';
import type { SeedTable } from './seed.js';
import { firstLine, flushStats } from './seeding.js';
import { compare, stateQuery, TREE, type State } from './measure.js';

const STATE = stateQuery('pg_stat_user_tables');
const OWN_STATE = stateQuery('pg_stat_xact_user_tables');

/** The statement's session's locks on the seeded tables (`root` set) and whatever it waits for; what the probes ($3) wait for. */
const LOCKS = `${TREE}
SELECT l.pid, t.root::int8 AS root, l.mode, l.granted FROM pg_catalog.pg_locks l LEFT JOIN t ON l.locktype = 'relation' AND l.relation = t.oid
 WHERE (l.pid = $2 AND (t.root IS NOT NULL OR NOT l.granted)) OR (l.pid = ANY($3::int[]) AND NOT l.granted)`;

/** The sessions a no-transaction migration's statements run on and are watched from, on one copy of the database. */
export interface Watched {
  /**
   * Each statement in order, committed as it runs; stops after one that
   * fails. `probe`: a reader and a writer on each table try to get through
   * while it runs.
   */
  run(statements: readonly Statement[], tables: readonly SeedTable[], options: { readonly probe: boolean }): Promise<StatementRun[]>;
  close(): Promise<void>;
}

export async function openWatched(connection: ConnectionInput, timeoutMs: number): Promise<Watched> {
  const settings = { statementTimeoutMs: timeoutMs };
  const [session, watcher] = await Promise.all([openSession(connection, settings), openSession(connection, settings)]);
  const probes: Probes[] = [];
  try {
    const { rows } = await session.client.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid');
    const pid = rows[0]!.pid;
    return {
      run: async (statements, tables, options) => {
        const more = options.probe ? Math.max(0, tables.length - probes.length) : 0;
        probes.push(...(await Promise.all(Array.from({ length: more }, () => openProbes(connection, timeoutMs)))));
        return runWatched({ session, watcher, pid, probes: options.probe ? probes : [] }, statements, tables);
      },
      close: async () => {
        await Promise.all([...probes.map((p) => p.close()), session.close(), watcher.close()]);
      },
    };
  } catch (error) {
    await Promise.all([session.close(), watcher.close()]);
    throw error;
  }
}

interface Sessions {
  readonly session: Session;
  readonly watcher: Session;
  readonly pid: number;
  readonly probes: readonly Probes[];
}

async function runWatched(at: Sessions, statements: readonly Statement[], tables: readonly SeedTable[]): Promise<StatementRun[]> {
  const roots = tables.map((t) => t.oid);
  const state = async (client: DbClient, sql: string) => (await client.query<{ state: State }>(sql, [roots])).rows[0]!.state;
  const watcherRead = () => state(at.watcher.client, STATE);
  // Inside a block of the migration's own, its counts reach pg_stat_user_tables only at its COMMIT: its session reads them as it goes.
  const ownRead = () => state(at.session.client, OWN_STATE);
  const runs: StatementRun[] = [];
  let inBlock = false;
  for (const statement of statements) {
    try {
      // Inside a BEGIN … COMMIT of the migration's own, its session keeps its locks past the statement: the probes would wait for the block's end.
      const stays = inBlock && blockAfter({ text: statement.sql }, inBlock);
      const read = stays ? ownRead : watcherRead;
      // The block's COMMIT flushes the counts of the statements before it, which were theirs: it did none of its own.
      const reading = inBlock && !stays ? { read, rowsOf: 'before' as const } : { read, rowsOf: 'after' as const };
      const run = await runOne(inBlock ? { ...at, probes: [] } : at, statement, tables, reading);
      inBlock = blockAfter({ text: statement.sql }, inBlock);
      runs.push(run);
      if (run.failed !== undefined) break;
    } catch (error) {
      await at.watcher.client.query('ROLLBACK').catch(() => {});
      runs.push({ ms: 0, tables: [], failed: firstLine(error) });
      break;
    }
  }
  return runs;
}

async function runOne(
  at: Sessions,
  statement: Statement,
  tables: readonly SeedTable[],
  reading: { readonly read: () => Promise<State>; readonly rowsOf: 'before' | 'after' },
): Promise<StatementRun> {
  const { watcher } = at;
  const before = await reading.read();
  // NOWAIT: the migration's session may already hold a lock on them, in a block of its own; then the watcher only polls.
  await watcher.client.query('BEGIN');
  const lock = `LOCK TABLE ${tables.map((t) => t.sql).join(', ')} IN ROW EXCLUSIVE MODE NOWAIT`;
  const holding =
    tables.length > 0 &&
    (await watcher.client.query(lock).then(
      () => true,
      () => false,
    ));
  if (!holding) await watcher.client.query('ROLLBACK');
  const started = performance.now();
  const done: { ended?: number; failed?: string } = {};
  const running = at.session.client
    .query(statement.sql)
    .catch((error: unknown) => (done.failed = firstLine(error)))
    .finally(() => (done.ended = performance.now()));
  // Sent after the statement, the probes queue behind the locks it takes or waits for, as the application's sessions would.
  const probes = tables.map((t, i) => at.probes[i]).filter((p) => p !== undefined);
  const probing = tables.map((t, i) => at.probes[i] && { at: performance.now(), done: at.probes[i].start(t.sql) });
  const seen = await watch(at, tables, probes, { done, holding });
  await running;
  const from = seen.released ?? started;
  const ended = done.ended ?? performance.now();
  const ms = ended - from;
  const got = await Promise.all(probing.map(async (p) => p && { at: Math.max(p.at, from), got: await p.done }));
  if (done.failed !== undefined) return { ms, tables: [], failed: done.failed };
  await flushStats(at.session.client);
  const read = await reading.read();
  const after = reading.rowsOf === 'after' ? read : { ...read, rows: before.rows };
  // A probe seen queued waited until it got through (the statement's end, at the latest); one never seen queued did not wait.
  const waited = (pid: number, since: number, at: number | undefined) => (seen.blocked.has(pid) ? Math.min(at ?? ended, ended) - since : 0);
  return {
    ms,
    tables: tables.map((t, i): TableMeasure => {
      const probe = at.probes[i];
      const wait = got[i];
      return {
        ...compare(t, before, after, seen.locks.get(t.oid)),
        ...(wait &&
          probe && {
            readersWaitedMs: waited(probe.pids.read, wait.at, wait.got.read),
            writersWaitedMs: waited(probe.pids.write, wait.at, wait.got.write),
          }),
      };
    }),
  };
}

/**
 * Polls pg_locks while the statement runs: the strongest lock it held or
 * asked for on each table, and which probes were seen queued. The watcher's
 * transaction ends once the statement waits for it and every probe is
 * queued or through: the probes then queue behind the statement itself.
 */
async function watch(
  at: Sessions,
  tables: readonly SeedTable[],
  probes: readonly Probes[],
  state: { readonly done: { readonly ended?: number }; readonly holding: boolean },
): Promise<{ locks: Map<number, number>; blocked: Set<number>; released?: number }> {
  const { done } = state;
  const roots = tables.map((t) => t.oid);
  const pids = probes.flatMap((p) => [p.pids.read, p.pids.write]);
  const locks = new Map<number, number>();
  const blocked = new Set<number>();
  let holding = state.holding;
  let released: number | undefined;
  while (done.ended === undefined) {
    const { rows } = await at.watcher.client.query<{ pid: number; root: string | null; mode: string; granted: boolean }>(LOCKS, [
      roots,
      at.pid,
      pids,
    ]);
    const queued = new Set(rows.filter((r) => !r.granted).map((r) => r.pid));
    for (const pid of pids) if (queued.has(pid)) blocked.add(pid);
    for (const r of rows) {
      if (r.pid !== at.pid || r.root === null) continue;
      const root = Number(r.root);
      locks.set(root, Math.max(locks.get(root) ?? 0, lockStrength(r.mode)));
    }
    const settled = probes.every((p) => {
      const busy = p.busy();
      return (!busy.read || queued.has(p.pids.read)) && (!busy.write || queued.has(p.pids.write));
    });
    if (holding && queued.has(at.pid) && settled) {
      holding = false;
      await at.watcher.client.query('ROLLBACK');
      released = performance.now();
    } else await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (holding) await at.watcher.client.query('ROLLBACK');
  return { locks, blocked, ...(released !== undefined && { released }) };
}
