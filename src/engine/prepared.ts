/**
 * One target of an all-or-none run (`fleet migrate --atomic`): every pending
 * migration in ONE transaction, with the steps `migrate` takes (the lock on a
 * session of its own, the tracking table read again under it, checksums, the
 * checked tracking rows, the session's timeouts), then `PREPARE TRANSACTION`
 * instead of COMMIT; later `COMMIT PREPARED` or `ROLLBACK PREPARED`.
 * The run over many targets is fleet/atomic.ts.
 */
import type { Parser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { fail, PgshiftError, problem, type Problem } from '../core/problem.js';
import { planRun } from '../core/run-plan.js';
import { qualify, type TableName } from '../core/table-name.js';
import type { Migration, MigrationOutcome } from '../core/types.js';
import { outcomeOf } from '../core/views.js';
import { describeConnection, formatConnection, type ConnectionInput } from '../postgres/connection-info.js';
import { takeLock, type MigrationLock } from '../postgres/lock.js';
import { openSession, type Session } from '../postgres/pg-client.js';
import { beginPrepared, prepareCapacity, prepareTransaction, searchPathSql, type PrepareCapacity } from '../postgres/prepared.js';
import { runInOpenTransaction } from '../postgres/run-migration.js';
import { prepareTracking, readTracking, setUpSession, type TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { gidOf, type Coordinator } from './leftovers.js';
import { resolveOwnLeftovers, tableOf, type LeftoverContext, type ResolvedLeftover } from './resolve-leftovers.js';
export { tableOf, type ResolvedLeftover };
import { unreadableOf } from './inspect.js';
import { unexpectedError } from './unexpected.js';
import { lockRetryOf } from './lock-retries.js';
import { tenantResetError } from './run.js';
import { withRetries } from './run-step.js';

/** A database, or a schema of one (schema-per-tenant), that the run migrates. */
export interface AtomicTarget {
  /** Names the target in reports and in its transaction's gid. */
  readonly id: string;
  readonly connection: ConnectionInput;
  /** Schema-per-tenant: the schema the migrations run in (`SET LOCAL search_path`) and that holds the tracking table. */
  readonly schema?: string | undefined;
}

/** What the run shares between its targets: checked options, the files as read once, one parser. */
export interface RunContext extends LeftoverContext {
  readonly settings: Settings;
  readonly listing: MigrationListing;
  readonly parse: Parser;
  readonly runId: string;
}

/** `host:port`, the server a target lives on: capacity is counted per server. */
export function serverOf(connection: ConnectionInput): string {
  const { host, port } = describeConnection(connection);
  return `${host ?? '?'}:${port ?? 5432}`;
}

/** What the check before anything runs found on one target. */
export interface TargetPreflight {
  readonly id: string;
  readonly server: string;
  readonly pending: readonly Migration[];
  readonly capacity?: PrepareCapacity;
  /** Leftovers of earlier runs on this target, and what was done with each. */
  readonly leftovers: readonly ResolvedLeftover[];
  /** Why the run must not start, as far as this target is concerned; empty when it may. */
  readonly problems: readonly Problem[];
}

const refused = (target: AtomicTarget, message: string, hint: string, file?: string): Problem =>
  problem('ATOMIC_REFUSED', `target ${target.id} (${formatConnection(describeConnection(target.connection))}): ${message}`, {
    hint,
    ...(file !== undefined && { file }),
  });

/**
 * Checks one target without changing it (but for ending what an earlier run
 * left prepared, by the rule in leftovers.ts): it can prepare transactions,
 * its history is sound, and no pending migration runs without a
 * transaction. Never throws: a failure is one of its problems.
 */
export async function preflightTarget(target: AtomicTarget, context: RunContext): Promise<TargetPreflight> {
  const server = serverOf(target.connection);
  const base = { id: target.id, server, pending: [], leftovers: [] as ResolvedLeftover[] };
  let session: Session | undefined;
  try {
    session = await openSession(target.connection, context.settings);
    const capacity = await prepareCapacity(session.client);
    if (capacity.maxPrepared === 0) {
      const hint =
        'set max_prepared_transactions in postgresql.conf to at least the number of targets on that server and restart it, or run without --atomic';
      return {
        ...base,
        capacity,
        problems: [refused(target, 'max_prepared_transactions is 0: the server cannot prepare transactions', hint)],
      };
    }
    const { leftovers, problems } = await resolveOwnLeftovers(target, context, { client: session.client });
    const table = tableOf(context.settings, target);
    const tracking = await readTracking(session.client, table);
    const { todo, error } = planFor(context, tracking, table);
    const noTransaction = todo.filter((m) => m.transaction === 'none');
    const refusals = noTransaction.map((m) =>
      refused(
        target,
        `${m.path} runs without a transaction (-- pgshift:no-transaction), so it cannot be part of an all-or-none run`,
        `apply it first without --atomic (pgshift migrate --target ${m.version}), then run again; or drop the marker if it can run in a transaction`,
        m.path,
      ),
    );
    return { ...base, pending: todo, capacity, leftovers, problems: [...problems, ...(error ? error.problems : []), ...refusals] };
  } catch (thrown) {
    return { ...base, problems: unexpectedError(thrown).problems.map((p) => ({ ...p, message: `target ${target.id}: ${p.message}` })) };
  } finally {
    await session?.close();
  }
}

function planFor(context: RunContext, tracking: TrackingState, table: TableName) {
  return planRun({
    files: context.listing.files,
    listingProblems: context.listing.problems,
    rows: tracking.rows,
    maxVersion: tracking.maxVersion,
    table: table.display,
    request: { direction: 'up' },
    parse: context.parse,
    strictOrder: context.settings.strictOrder,
    unreadable: unreadableOf(context.listing),
  });
}

/** A target whose transaction is prepared: it holds its locks, and its migration lock, until finished. */
export interface PreparedTarget {
  readonly status: 'prepared';
  readonly id: string;
  readonly gid: string;
  readonly results: readonly MigrationOutcome[];
  /** The lock's session, which also finishes the transaction. */
  readonly lock: MigrationLock;
  readonly connection: ConnectionInput;
  /** When its PREPARE completed (performance.now()). */
  readonly preparedAt: number;
  /** The coordinator's transaction id (the others' gids carry it). */
  readonly xid?: string;
}

/** A target that could not be prepared: nothing of its run is left on it. */
export interface FailedTarget {
  readonly status: 'failed';
  readonly id: string;
  /** True when it failed only because it was told to stop (another target had failed). */
  readonly stopped: boolean;
  readonly results: readonly MigrationOutcome[];
  readonly error: PgshiftError;
}

/** How a target's transaction joins the run: as its coordinator (which says when its xid is known), or after it. */
export type Role =
  | { readonly kind: 'coordinator'; readonly started: (coordinator: Coordinator) => void }
  | { readonly kind: 'participant'; readonly coordinator: Promise<Coordinator> };

/**
 * Runs every pending migration of one target in one transaction and
 * prepares it. `stop()` is asked between migrations: true (another target
 * failed) rolls it back. Never throws: a failure is a FailedTarget, with its
 * transaction rolled back and its lock released.
 */
export async function prepareTarget(
  target: AtomicTarget,
  context: RunContext,
  role: Role,
  stop: () => boolean,
): Promise<PreparedTarget | FailedTarget> {
  const settings = context.settings;
  const results: MigrationOutcome[] = [];
  let session: Session | undefined;
  let lock: MigrationLock | undefined;
  let todo: readonly Migration[] = [];
  try {
    session = await openSession(target.connection, settings);
    lock = await takeLock(target.connection, settings, { table: tableOf(settings, target), waitMs: settings.lockWaitMs });
    const table = qualify(tableOf(settings, target), lock.schema);
    const { problems } = await resolveOwnLeftovers(target, context, { client: session.client, locked: true });
    if (problems.length > 0) throw new PgshiftError(problems);
    const tracking = await readTracking(session.client, table);
    const plan = planFor(context, tracking, table);
    const error = plan.error ?? tenantResetError(plan.todo, 'up', target.schema);
    if (error) throw error;
    todo = plan.todo;
    const none = todo.find((m) => m.transaction === 'none');
    if (none) throw fail('ATOMIC_REFUSED', `target ${target.id}: ${none.path} runs without a transaction`, { file: none.path });
    const xid = await beginPrepared(session.client, {
      ...(target.schema !== undefined && { schema: target.schema }),
      xid: role.kind === 'coordinator',
    });
    if (role.kind === 'coordinator') role.started({ id: target.id, xid: xid! });
    await prepareTracking(session.client, table, tracking);
    const { guard, pid } = await setUpSession(session.client, table, lock.major >= 14);
    for (const [index, migration] of todo.entries()) {
      if (stop()) throw new Stopped();
      const counted = { retries: 0 };
      const lockRetry = lockRetryOf(settings, { lock, pid, emit: settings.onEvent ?? (() => {}) }, migration, 'up', counted);
      const run = { client: session.client, table, migration, direction: 'up' as const, lockRetry };
      const rows = { rows: tracking.rows.length + index, ownRows: index };
      try {
        const durationMs = await runInOpenTransaction({ ...run, guard: { ...guard, ...rows } }, searchPathSql(target.schema));
        results.push(withRetries(outcomeOf(migration, 'success', durationMs), counted.retries));
      } catch (error) {
        results.push(withRetries(outcomeOf(migration, 'error'), counted.retries));
        throw error;
      }
    }
    await checkHistory(session, table, tracking, todo);
    const gid =
      role.kind === 'coordinator'
        ? gidOf(context.runId, target.id)
        : gidOf(context.runId, target.id, await role.coordinator.catch(stopped));
    await prepareTransaction(session.client, gid);
    const preparedAt = performance.now();
    return {
      status: 'prepared',
      id: target.id,
      gid,
      results,
      lock,
      connection: target.connection,
      preparedAt,
      ...(xid !== undefined && { xid }),
    };
  } catch (thrown) {
    await session?.client.query('ROLLBACK').catch(() => {});
    await lock?.release();
    const ran = new Set(results.map((r) => r.version));
    const rest = todo.filter((m) => !ran.has(m.version)).map((m) => outcomeOf(m, 'not-executed'));
    const halted = thrown instanceof Stopped;
    const error = halted ? fail('ATOMIC_REFUSED', `target ${target.id}: stopped, as another target failed`) : unexpectedError(thrown);
    return { status: 'failed', id: target.id, results: [...undone(results), ...rest], error, stopped: halted };
  } finally {
    await session?.close();
  }
}

/** Thrown between migrations when the run is stopping. */
class Stopped extends Error {}
const stopped = (): never => {
  throw new Stopped();
};

/** Outcomes once their transaction is rolled back: what succeeded in it did not happen after all. */
export const undone = (results: readonly MigrationOutcome[]): MigrationOutcome[] =>
  results.map((r) => (r.status === 'success' ? { ...r, status: 'not-executed' as const } : r));

/**
 * The tracking table as the transaction leaves it must be what was there plus
 * one row per migration, as written (each write was checked; this also sees a
 * later migration rewriting an earlier one's row in the same transaction).
 */
async function checkHistory(session: Session, table: TableName, before: TrackingState, todo: readonly Migration[]): Promise<void> {
  const after = await readTracking(session.client, table);
  const expected = new Map([...before.rows.map((r) => [r.version, r.name] as const), ...todo.map((m) => [m.version, m.name] as const)]);
  const same = after.rows.length === expected.size && after.rows.every((r) => expected.get(r.version) === r.name);
  const written = new Map(todo.map((m) => [m.version, m.checksum]));
  const sums = after.rows.every((r) => !written.has(r.version) || written.get(r.version) === r.checksum);
  if (same && sums) return;
  throw fail('TRACKING_TABLE_INVALID', `a migration changed the tracking table ${table.display}; the transaction was rolled back`, {
    hint: 'a migration must not write to the tracking table',
  });
}
