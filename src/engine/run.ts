import { createParser, type Parser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { fail, PgshiftError, type Problem } from '../core/problem.js';
import { planRun, type RunPlan, type RunRequest } from '../core/run-plan.js';
import { qualify, type TableName } from '../core/table-name.js';
import type { Migration, MigrationOutcome, MigratorEvent, RunReport, Status } from '../core/types.js';
import { resetsSearchPath } from '../core/statement-kind.js';
import { outcomeOf } from '../core/views.js';
import { takeLock, type MigrationLock, type Session } from '../postgres/lock.js';
import { prepareTracking, readTracking, setUpSession, type TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { historyOf, statusOf, unreadableOf } from './inspect.js';
import { lockLost, runStep } from './run-step.js';
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
  const first = withTenantCheck(check(opened.tracking), settings, request);
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
  const tracking = await readTracking(client, table);
  state.opened = { ...state.opened!, tracking };
  const plan = withTenantCheck(check(tracking), settings, request);
  state.warnings = plan.warnings;
  for (const problem of plan.warnings) emit({ type: 'warning', problem });
  if (plan.error) return plan.error;
  const { direction } = request;
  if (direction === 'up') await prepareTracking(client, table, tracking);
  const { guard, pid } = await setUpSession(client, table, lock.major >= 14, settings.searchPath);
  // What the tracking table must hold after each migration: version → name.
  const applied = new Map(tracking.rows.map((row) => [row.version, row.name]));

  const ctx = { settings, client, table, lock, guard, pid, applied, emit };
  for (const [index, migration] of plan.todo.entries()) {
    const rest = (from: number) => plan.todo.slice(from).map((m: Migration) => outcomeOf(m, 'not-executed'));
    if (!lock.held()) {
      state.results.push(...rest(index));
      return lockLost();
    }
    const step = await runStep(ctx, migration, direction);
    state.results.push(step.outcome);
    if (step.error) {
      state.results.push(...rest(index + 1));
      return step.error;
    }
  }
  return undefined;
}

/**
 * A tenant's run refuses a migration that resets search_path: a session
 * shared by tenants (a fleet's pool), or the one transaction of an atomic
 * run, would go back to the server's default, and the migration's next
 * statements would land outside the tenant.
 */
export function tenantResetError(
  todo: readonly Migration[],
  direction: 'up' | 'down',
  schema: string | undefined,
): PgshiftError | undefined {
  if (schema === undefined) return undefined;
  for (const migration of todo) {
    const section = direction === 'up' ? migration.up : migration.down;
    const reset = section?.statements.find(resetsSearchPath);
    if (reset) {
      return fail('UNSUPPORTED_SQL', `"${reset.sql.trim()}" would leave the tenant's schema ${schema}`, {
        file: migration.path,
        line: reset.line,
        hint: `set it back by name (SET search_path TO ${schema}), or qualify the names; pgshift puts search_path back after each migration itself`,
      });
    }
  }
  return undefined;
}

function withTenantCheck(plan: RunPlan, settings: Settings, request: RunRequest): RunPlan {
  const error = plan.error ? undefined : tenantResetError(plan.todo, request.direction, settings.searchPath);
  return error ? { ...plan, error } : plan;
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
