import { PgshiftError, combine } from './errors.js';
import { blockingError, compareHistory, type CompareOptions, type History } from './history.js';
import type { AppliedRow, Migration, MigrationSource, Problem } from './types.js';

export interface RunPlanInput {
  readonly migrations: readonly MigrationSource[];
  readonly rows: readonly AppliedRow[];
  /** The largest version the tracking table's version column holds. */
  readonly maxVersion: number;
  /** The tracking table's name, for messages. */
  readonly table: string;
  readonly direction: 'up' | 'down';
  readonly select: (history: History) => readonly Migration[] | PgshiftError;
  readonly options: CompareOptions;
}

export interface RunPlan {
  readonly todo: readonly Migration[];
  /** Warnings about the migrations this run takes (all of them for a rollback). */
  readonly warnings: readonly Problem[];
  readonly error?: PgshiftError;
}

/**
 * What a migrate or rollback run is to do, or why it must not: a history it
 * cannot trust, a pending file it cannot run, a version the table cannot hold.
 */
export function planRun(input: RunPlanInput): RunPlan {
  const history = compareHistory(input.migrations, input.rows, input.options);
  const up = input.direction === 'up';
  const warnings = history.problems.filter((p) => p.severity === 'warning');
  const blocking = blockingError(history.problems) ?? (up ? fileError(history) : undefined);
  if (blocking) return { todo: [], warnings, error: blocking };
  const selected = input.select(history);
  if (selected instanceof PgshiftError) return { todo: [], warnings, error: selected };
  const relevant = up ? warnings.filter((w) => selected.some((m) => m.version === w.version)) : warnings;
  const tooBig = up ? selected.find((m) => m.version > input.maxVersion) : undefined;
  if (tooBig) {
    const error = new PgshiftError(
      'TRACKING_TABLE_INVALID',
      `version ${tooBig.version} of ${tooBig.path} does not fit the version column of ${input.table}`,
      {
        location: { file: tooBig.path },
        hint: `widen it once: ALTER TABLE ${input.table} ALTER COLUMN version TYPE bigint`,
      },
    );
    return { todo: [], warnings: relevant, error };
  }
  return { todo: selected, warnings: relevant };
}

/** Pending files that cannot run as written, as one error; undefined when all parse. */
export function fileError(history: History): PgshiftError | undefined {
  const { fileErrors } = history;
  return fileErrors.length === 0 ? undefined : combine(fileErrors, `${fileErrors.length} migration files have problems`);
}
