import { createParser, type Parser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { fail, PgshiftError, type Problem } from '../core/problem.js';
import { planRun, type RunPlan, type RunRequest } from '../core/run-plan.js';
import { qualify, type TableName } from '../core/table-name.js';
import type { AppliedRow, Migration, MigrationOutcome, MigratorEvent, RunReport, Status } from '../core/types.js';
import { outcomeOf } from '../core/views.js';
import { takeLock, type MigrationLock, type Session } from '../postgres/lock.js';
import { runMigration } from '../postgres/run-migration.js';
import { prepareTracking, readTracking, setUpSession, type TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { historyOf, statusOf, unreadableOf } from './inspect.js';
import { lockRetryOf } from './lock-retries.js';
import { openAll, requireConnection } from './open.js';
import { unexpectedError } from './unexpected.js';

/** What a run has seen and done so far; the report is made from it. */
interface RunState {
  readonly results: MigrationOutcome[];
  warnings: readonly Problem[];
  waited: boolean;
  opened?: { listing: MigrationListing; session: Session; tracking: TrackingState };
  lock?: MigrationLock;
  /** The tracking table, schema-qualified once the lock is held. */
  table: TableName;
}

/**
 * The one sequence for both directions: read files and table without the
 * lock (a no-op run ends here, one round trip), take the lock on a session
 * of its own, read again (another run may have moved on), check, then run
 * each migration. Never throws: a failure is the report's `error`.
 */
export async function runMigrations(settings: Settings, request: RunRequest, withStatus: boolean): Promise<RunReport> {
  const started = performance.now();
  const state: RunState = { results: [], warnings: [], waited: false, table: settings.table };
  const parse = createParser();
  let error: PgshiftError | undefined;
  try {
    error = await openAndRun(settings, request, parse, state);
  } catch (thrown) {
    error = thrown instanceof PgshiftError ? thrown : unexpectedError(thrown);
  }
  try {
    const status = withStatus && state.opened ? await statusAfter(settings, state, parse) : undefined;
    return {
      ok: error === undefined,
      direction: request.direction,
      results: state.results,
      warnings: state.warnings,
      ...(error && { error }),
      ...(status && { status }),
      waitedForLock: state.waited,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    // The migrations' session first, so that the lock outlives anything it ran.
    await state.opened?.session.close();
    await state.lock?.release();
  }
}

/** Opens, checks without the lock, and runs under it when there is work; the error that stopped it, if any. */
async function openAndRun(settings: Settings, request: RunRequest, parse: Parser, state: RunState): Promise<PgshiftError | undefined> {
  const opened = await openAll(settings);
  state.opened = opened;
  const check = (tracking: TrackingState): RunPlan =>
    planRun({
      files: opened.listing.files,
      listingProblems: opened.listing.problems,
      rows: tracking.rows,
      maxVersion: tracking.maxVersion,
      table: settings.table.display,
      request,
      parse,
      strictOrder: settings.strictOrder,
      unreadable: unreadableOf(opened.listing),
    });
  const first = check(opened.tracking);
  if (first.todo.length === 0 || first.error) {
    state.warnings = first.warnings;
    return first.error;
  }
  return runUnderLock(settings, request, check, state);
}

async function runUnderLock(
  settings: Settings,
  request: RunRequest,
  check: (tracking: TrackingState) => RunPlan,
  state: RunState,
): Promise<PgshiftError | undefined> {
  const { client } = state.opened!.session;
  const emit = (event: MigratorEvent) => settings.onEvent?.(event);
  const lock = await takeLock(requireConnection(settings.connection), settings, {
    table: settings.table,
    waitMs: settings.lockWaitMs,
    onWait: (holder) => {
      state.waited = true;
      emit({ type: 'lock-wait', holder });
    },
  });
  state.lock = lock;
  emit({ type: 'lock-acquired', waitedMs: lock.waitedMs });
  // From here on the table is named with the schema the server resolved it to, whatever a migration does to search_path.
  const table = qualify(settings.table, lock.schema);
  state.table = table;
  let tracking = await readTracking(client, table);
  state.opened = { ...state.opened!, tracking };
  const plan = check(tracking);
  state.warnings = plan.warnings;
  for (const problem of plan.warnings) emit({ type: 'warning', problem });
  if (plan.error) return plan.error;
  const { direction } = request;
  if (direction === 'up') await prepareTracking(client, table, tracking);
  const { guard, pid } = await setUpSession(client, table, lock.major >= 14);
  // What the tracking table must hold after each migration: version → name.
  const applied = new Map(tracking.rows.map((row) => [row.version, row.name]));

  for (const [index, migration] of plan.todo.entries()) {
    const stopped = () => {
      state.results.push(...plan.todo.slice(index).map((rest: Migration) => outcomeOf(rest, 'not-executed')));
    };
    if (!lock.held()) {
      stopped();
      return lockLost();
    }
    emit({ type: 'migration-start', direction, migration });
    const counted = { retries: 0 };
    const lockRetry = lockRetryOf(settings, { lock, pid, emit }, migration, direction, counted);
    try {
      const durationMs = await runMigration({ client, table, migration, direction, guard: { ...guard, rows: applied.size }, lockRetry });
      const done = withRetries(outcomeOf(migration, 'success', durationMs), counted.retries);
      state.results.push(done);
      emit({ type: 'migration-done', direction, outcome: done });
    } catch (error) {
      const failed = withRetries(outcomeOf(migration, 'error'), counted.retries);
      state.results.push(failed);
      emit({ type: 'migration-done', direction, outcome: failed });
      state.results.push(...plan.todo.slice(index + 1).map((rest: Migration) => outcomeOf(rest, 'not-executed')));
      return error instanceof PgshiftError ? error : unexpectedError(error);
    }
    if (direction === 'up') applied.set(migration.version, migration.name);
    else applied.delete(migration.version);
    // Without a transaction around it, the migration's statements committed one by one: read the history again to see it untouched.
    if (migration.transaction === 'none') {
      tracking = await readTracking(client, table);
      state.opened = { ...state.opened!, tracking };
      const damage = historyDamage(applied, tracking.rows, migration, table);
      if (damage) {
        state.results.push(...plan.todo.slice(index + 1).map((rest: Migration) => outcomeOf(rest, 'not-executed')));
        return damage;
      }
    }
  }
  return undefined;
}

/** An outcome with the lock retries it took, when it took any. */
const withRetries = (outcome: MigrationOutcome, retries: number): MigrationOutcome =>
  retries > 0 ? { ...outcome, lockRetries: retries } : outcome;

/** The lock's session ended under the run: another run may have started; nothing more may run. */
function lockLost(): PgshiftError {
  return fail(
    'LOCK_LOST',
    'the migration lock was lost: its session ended (terminated by someone?) while the run went on; nothing more was run',
    {
      hint: 'check what ends pgshift sessions (pg_terminate_backend, idle timeouts), then run again',
    },
  );
}

/** What a no-transaction migration did to the history, when it did: versions gone, added or renamed. */
function historyDamage(
  expected: ReadonlyMap<number, string>,
  actual: readonly AppliedRow[],
  migration: Migration,
  table: TableName,
): PgshiftError | undefined {
  const found = new Map(actual.map((row) => [row.version, row.name]));
  const gone = [...expected.keys()].filter((v) => !found.has(v));
  const added = [...found.keys()].filter((v) => !expected.has(v));
  const renamed = [...expected]
    .filter(([version, name]) => found.has(version) && found.get(version) !== name)
    .map(([version]) => ({ version }));
  if (gone.length === 0 && added.length === 0 && renamed.length === 0) return undefined;
  const parts = [
    gone.length > 0 ? `version${gone.length === 1 ? '' : 's'} ${gone.join(', ')} removed` : '',
    added.length > 0 ? `version${added.length === 1 ? '' : 's'} ${added.join(', ')} added` : '',
    renamed.length > 0 ? `version${renamed.length === 1 ? '' : 's'} ${renamed.map((r) => r.version).join(', ')} renamed` : '',
  ].filter(Boolean);
  return fail(
    'TRACKING_TABLE_INVALID',
    `${migration.path} changed the tracking table ${table.display} (${parts.join('; ')}); nothing more was run`,
    {
      file: migration.path,
      version: migration.version,
      hint: 'restore the tracking table to what was applied; a migration must not write to it',
    },
  );
}

/** The status once a run is over, on its own session: the table as last read when nothing changed, read again when something did. */
async function statusAfter(settings: Settings, state: RunState, parse: Parser): Promise<Status | undefined> {
  const { listing, session } = state.opened!;
  try {
    const tracking = state.results.some((r) => r.status === 'success')
      ? await readTracking(session.client, state.table)
      : state.opened!.tracking;
    return statusOf(listing, historyOf(listing, tracking.rows, settings, parse), tracking, state.table);
  } catch {
    // The session may be gone (the failure being reported); the run's outcome stands without it.
    return undefined;
  }
}
