import { compareHistory, selectToApply, selectToRollback, type History, type RollbackSelector } from './history.js';
import type { Parser } from './migration.js';
import { errorsOf, failAll, fail, type PgshiftError, type Problem } from './problem.js';
import type { AppliedRow, Migration, MigrationFile } from './types.js';

/** What a run is asked to do. */
export type RunRequest =
  { readonly direction: 'up'; readonly target?: number | undefined } | { readonly direction: 'down'; readonly selector: RollbackSelector };

export interface RunPlanInput {
  readonly files: readonly MigrationFile[];
  /** Problems found reading the files (bad names, duplicate versions, unreadable files): any error stops the run. */
  readonly listingProblems: readonly Problem[];
  readonly rows: readonly AppliedRow[];
  /** The largest version the tracking table's version column holds. */
  readonly maxVersion: number;
  /** The tracking table's name, for messages. */
  readonly table: string;
  readonly request: RunRequest;
  readonly parse: Parser;
  readonly strictOrder?: boolean | undefined;
  readonly unreadable?: ReadonlySet<number>;
}

export interface RunPlan {
  readonly todo: readonly Migration[];
  /** Warnings about the migrations this run takes (all of them for a rollback). */
  readonly warnings: readonly Problem[];
  readonly error?: PgshiftError;
  readonly history: History;
}

/**
 * What a migrate or rollback run is to do, or why it must not: files it
 * cannot read, a history it cannot trust, a pending file it cannot run (for
 * migrate; a rollback does not run pending files), a version the table cannot hold.
 */
export function planRun(input: RunPlanInput): RunPlan {
  const history = compareHistory(input);
  const up = input.request.direction === 'up';
  const warnings = history.problems.filter((p) => p.severity === 'warning');
  const blocking = errorsOf([...input.listingProblems, ...(up ? history.fileProblems : []), ...history.problems]);
  if (blocking.length > 0) {
    const error = failAll(blocking, `${blocking.length} problems with the migrations; nothing was run`);
    return { todo: [], warnings, error, history };
  }
  const selected =
    input.request.direction === 'up'
      ? selectToApply(history, input.request.target)
      : selectToRollback(history, input.request.selector, input.parse);
  if (!Array.isArray(selected)) return { todo: [], warnings, error: selected as PgshiftError, history };
  const todo = selected as readonly Migration[];
  // A rollback runs no pending file: what is said of those (no DOWN part) is not its business.
  if (!up) return { todo, warnings: warnings.filter((w) => w.code !== 'NO_DOWN'), history };
  const relevant = warnings.filter((w) => todo.some((m) => m.version === w.version));
  const tooBig = todo.find((m) => m.version > input.maxVersion);
  if (tooBig) {
    const error = fail(
      'TRACKING_TABLE_INVALID',
      `version ${tooBig.version} of ${tooBig.path} does not fit the version column of ${input.table}`,
      {
        file: tooBig.path,
        version: tooBig.version,
        hint: `widen it once: ALTER TABLE ${input.table} ALTER COLUMN version TYPE bigint`,
      },
    );
    return { todo: [], warnings: relevant, error, history };
  }
  return { todo, warnings: relevant, history };
}
