import { createParser, type Parser } from '../core/migration.js';
import type { MigrationListing } from '../core/ports.js';
import { PgshiftError, type Problem } from '../core/problem.js';
import { planRun, type RunPlan, type RunRequest } from '../core/run-plan.js';
import type { Migration, MigrationOutcome, MigratorEvent, RunReport, Status } from '../core/types.js';
import { outcomeOf } from '../core/views.js';
import { acquireLock } from '../postgres/lock.js';
import type { Session } from '../postgres/pg-client.js';
import { runMigration } from '../postgres/run-migration.js';
import { prepareTracking, readTracking, type TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { unexpectedError } from './unexpected.js';
import { openAll } from './open.js';
import { historyOf, statusOf, unreadableOf } from './inspect.js';

/** What a run has seen and done so far; the report is made from it. */
interface RunState {
  readonly results: MigrationOutcome[];
  warnings: readonly Problem[];
  waited: boolean;
  opened?: { listing: MigrationListing; session: Session; tracking: TrackingState };
}

/**
 * The one sequence for both directions: read files and table without the
 * lock (a no-op run ends here, one round trip), take the lock, read again
 * (another run may have moved on), check, then run each migration. Never
 * throws: a failure is the report's `error`.
 */
export async function runMigrations(settings: Settings, request: RunRequest, withStatus: boolean): Promise<RunReport> {
  const started = performance.now();
  const state: RunState = { results: [], warnings: [], waited: false };
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
    await state.opened?.session.close();
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
  const waitedMs = await acquireLock(client, {
    table: settings.table,
    waitMs: settings.lockWaitMs,
    onWait: (holder) => {
      state.waited = true;
      emit({ type: 'lock-wait', holder });
    },
  });
  emit({ type: 'lock-acquired', waitedMs });
  const tracking = await readTracking(client, settings.table);
  state.opened = { ...state.opened!, tracking };
  const plan = check(tracking);
  state.warnings = plan.warnings;
  for (const problem of plan.warnings) emit({ type: 'warning', problem });
  if (plan.error) return plan.error;
  const { direction } = request;
  if (direction === 'up' && plan.todo.length > 0) await prepareTracking(client, settings.table, tracking);

  for (const [index, migration] of plan.todo.entries()) {
    emit({ type: 'migration-start', direction, migration });
    try {
      const done = outcomeOf(migration, 'success', await runMigration({ client, table: settings.table, migration, direction }));
      state.results.push(done);
      emit({ type: 'migration-done', direction, outcome: done });
    } catch (error) {
      const failed = outcomeOf(migration, 'error');
      state.results.push(failed);
      emit({ type: 'migration-done', direction, outcome: failed });
      state.results.push(...plan.todo.slice(index + 1).map((rest: Migration) => outcomeOf(rest, 'not-executed')));
      return error instanceof PgshiftError ? error : unexpectedError(error);
    }
  }
  return undefined;
}

/** The status once a run is over, on its own session: the table as last read when nothing changed, read again when something did. */
async function statusAfter(settings: Settings, state: RunState, parse: Parser): Promise<Status | undefined> {
  const { listing, session } = state.opened!;
  try {
    const tracking = state.results.some((r) => r.status === 'success')
      ? await readTracking(session.client, settings.table)
      : state.opened!.tracking;
    return statusOf(listing, historyOf(listing, tracking.rows, settings, parse), tracking, settings.table);
  } catch {
    // The session may be gone (the failure being reported); the run's outcome stands without it.
    return undefined;
  }
}
