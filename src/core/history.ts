import { isProblem, type Parser } from './migration.js';
import { failAll, problem, type PgshiftError, type Problem } from './problem.js';
import type { AppliedMigration, AppliedRow, FileState, Migration, MigrationFile, PendingMigration } from './types.js';
import { pendingView } from './views.js';

/** The migration files set against the tracking table: what is applied, what is pending, what is wrong. */
export interface History {
  /** Applied migrations in version order. */
  readonly applied: readonly AppliedMigration[];
  /** Applied rows in the order they were applied, most recent last. */
  readonly appliedRows: readonly AppliedRow[];
  /** Pending migrations that parsed; the others are in `fileProblems`. */
  readonly pending: readonly Migration[];
  readonly pendingViews: readonly PendingMigration[];
  /** What is wrong with the history: applied files edited, renamed or gone; versions out of order. */
  readonly problems: readonly Problem[];
  /** Pending files that cannot be run as written (bad parts, COMMIT inside, ...). */
  readonly fileProblems: readonly Problem[];
  readonly byVersion: ReadonlyMap<number, MigrationFile>;
}

export interface CompareInput {
  readonly files: readonly MigrationFile[];
  readonly rows: readonly AppliedRow[];
  readonly parse: Parser;
  readonly strictOrder?: boolean | undefined;
  /** Versions whose file exists but could not be read: already reported, so not called missing. */
  readonly unreadable?: ReadonlySet<number>;
  /** What reading the directory found wrong (bad names…): a directory with only such files is not an empty one. */
  readonly listingProblems?: readonly Problem[];
}

/**
 * Compares files with tracking rows. Pending means "no row for this version",
 * never "newer than the last applied", so a branch merged late is not skipped.
 */
export function compareHistory(input: CompareInput): History {
  const { files, rows } = input;
  const byVersion = new Map(files.map((m) => [m.version, m]));
  const appliedVersions = new Set<number>();
  const problems: Problem[] = [];
  let highestApplied = -Infinity;

  // No file at all where migrations are applied: the directory is wrong, not every file gone.
  const wrongDirectory =
    files.length === 0 && rows.length > 0 && (input.unreadable?.size ?? 0) === 0 && (input.listingProblems?.length ?? 0) === 0;
  if (wrongDirectory) {
    problems.push(
      problem(
        'MISSING_FILE',
        `the migrations directory has no migration files, but ${rows.length} migration${rows.length === 1 ? ' is' : 's are'} applied: is the directory right?`,
        {
          hint: 'check the migrations directory: it must be the one these migrations were applied from',
          settings: ['dir'],
        },
      ),
    );
  }
  const appliedRows = [...rows].sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime() || a.version - b.version);
  const applied = [...rows]
    .sort((a, b) => a.version - b.version)
    .map((row): AppliedMigration => {
      appliedVersions.add(row.version);
      highestApplied = Math.max(highestApplied, row.version);
      const file = byVersion.get(row.version);
      const fileState = stateOf(row, file, input.unreadable);
      const found = wrongDirectory ? undefined : fileProblem(row, file, fileState);
      if (found) problems.push(found);
      return { ...row, fileState };
    });

  const pending: Migration[] = [];
  const pendingViews: PendingMigration[] = [];
  const fileProblems: Problem[] = [];
  for (const file of files) {
    if (appliedVersions.has(file.version)) continue;
    const m = input.parse(file);
    if (isProblem(m)) {
      fileProblems.push(m);
      continue;
    }
    const outOfOrder = m.version < highestApplied;
    if (outOfOrder) {
      problems.push(
        problem('OUT_OF_ORDER', `${m.path} is pending but a higher version (${highestApplied}) is already applied`, {
          severity: input.strictOrder ? 'error' : 'warning',
          version: m.version,
          file: m.path,
          ...(input.strictOrder
            ? { hint: 'renumber it above the highest applied version, or turn off strict order', settings: ['strictOrder'] }
            : { hint: 'it will be applied now; check it does not depend on being applied before the later ones' }),
        }),
      );
    }
    if (!m.down) problems.push(noDownWarning(m));
    pending.push(m);
    pendingViews.push(pendingView(m, outOfOrder));
  }

  return { applied, appliedRows, pending, pendingViews, problems, fileProblems, byVersion };
}

function stateOf(row: AppliedRow, file: MigrationFile | undefined, unreadable?: ReadonlySet<number>): FileState {
  if (!file) return unreadable?.has(row.version) ? 'unknown' : 'missing';
  if (file.name !== row.name) return 'changed';
  if (row.checksum === null) return 'unknown';
  return row.checksum === file.checksum ? 'ok' : 'changed';
}

function fileProblem(row: AppliedRow, file: MigrationFile | undefined, state: FileState): Problem | undefined {
  if (state === 'missing') {
    return problem('MISSING_FILE', `migration ${row.version} (${row.name}) is applied but its file is gone`, {
      version: row.version,
      hint: 'restore the file from version control; never delete an applied migration, add a new one that undoes it',
    });
  }
  if (state !== 'changed' || !file) return undefined;
  if (file.name !== row.name) {
    return problem('NAME_MISMATCH', `${file.path} is applied under the name "${row.name}"; the file was renamed`, {
      version: row.version,
      file: file.path,
      hint: `rename the file back to ${file.fileName.slice(0, file.fileName.indexOf('_'))}_${row.name}.sql`,
    });
  }
  return problem('CHECKSUM_MISMATCH', `${file.path} was edited after it was applied (checksum differs)`, {
    version: row.version,
    file: file.path,
    line: 1,
    hint: 'restore the applied content (e.g. git checkout the file) and put the change in a new migration',
  });
}

/** Pending migrations up to `target` (inclusive), in version order. */
export function selectToApply(history: History, target?: number): readonly Migration[] {
  return target === undefined ? history.pending : history.pending.filter((m) => m.version <= target);
}

export type RollbackSelector = { readonly steps: number } | { readonly target: number };

/**
 * Applied migrations to undo, most recently applied first; then checks every
 * one has its file, an unchanged checksum and a DOWN part, so that either all
 * can be undone or nothing is.
 */
export function selectToRollback(history: History, selector: RollbackSelector, parse: Parser): readonly Migration[] | PgshiftError {
  const newestFirst = [...history.appliedRows].reverse();
  const rows = 'steps' in selector ? newestFirst.slice(0, selector.steps) : newestFirst.filter((row) => row.version > selector.target);
  const problems: Problem[] = [];
  const migrations: Migration[] = [];
  const states = new Map(history.applied.map((a) => [a.version, a.fileState]));
  for (const row of rows) {
    const source = history.byVersion.get(row.version);
    const file = source && parse(source);
    if (!source || !file) {
      problems.push(
        problem('MISSING_FILE', `migration ${row.version} (${row.name}) is applied but its file is gone, so it cannot be rolled back`, {
          version: row.version,
          hint: 'restore the file from version control',
        }),
      );
    } else if (states.get(row.version) === 'changed') {
      problems.push(
        problem('CHECKSUM_MISMATCH', `${source.path} was changed after it was applied; its DOWN may not undo what ran`, {
          version: row.version,
          file: source.path,
          hint: 'restore the applied content of the file, then roll back',
        }),
      );
    } else if (isProblem(file)) {
      problems.push(file);
    } else if (!file.down) {
      problems.push(
        problem('NO_DOWN_SECTION', `${file.path} has no -- DOWN part, so it cannot be rolled back`, {
          version: row.version,
          file: file.path,
          hint: 'add a -- DOWN part with SQL that undoes the migration, then record the file as changed only in its DOWN with pgshift repair',
        }),
      );
    } else {
      migrations.push(file);
    }
  }
  if (problems.length === 0) return migrations;
  return failAll(problems, `${problems.length} of the ${rows.length} migrations to roll back cannot be undone; nothing was rolled back`);
}

/** A migration without a DOWN part, before it is applied: a warning, since a project may not want DOWNs. */
export function noDownWarning(m: Migration): Problem {
  return problem('NO_DOWN', `${m.path} has no -- DOWN part: once applied, it cannot be rolled back`, {
    severity: 'warning',
    version: m.version,
    file: m.path,
    hint: 'add a -- DOWN part that undoes it before it is applied, if it can be undone',
  });
}
