import { PgshiftError } from './errors.js';
import { parseMigration } from './migration.js';
import type { AppliedMigration, AppliedRow, Migration, MigrationSource, PendingMigration, Problem } from './types.js';

/** The migration files set against the tracking table: what is applied, what is pending, what is wrong. */
export interface History {
  readonly applied: readonly AppliedMigration[];
  /** Applied rows in the order they were applied, most recent last. */
  readonly appliedRows: readonly AppliedRow[];
  /** Pending migrations that parsed; the others are in `fileErrors`. */
  readonly pending: readonly Migration[];
  readonly pendingInfo: readonly PendingMigration[];
  readonly problems: readonly Problem[];
  /** Pending files that cannot be run as written (bad parts, COMMIT inside, ...). */
  readonly fileErrors: readonly PgshiftError[];
  readonly byVersion: ReadonlyMap<number, MigrationSource>;
}

export interface CompareOptions {
  readonly strictOrder?: boolean;
}

/**
 * Compares files with tracking rows. Pending means "no row for this version",
 * never "newer than the last applied", so a branch merged late is not skipped.
 */
export function compareHistory(migrations: readonly MigrationSource[], rows: readonly AppliedRow[], options: CompareOptions = {}): History {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  const appliedVersions = new Set<number>();
  const problems: Problem[] = [];
  let highestApplied = -Infinity;

  const appliedRows = [...rows].sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime() || a.version - b.version);
  const applied = [...rows]
    .sort((a, b) => a.version - b.version)
    .map((row): AppliedMigration => {
      appliedVersions.add(row.version);
      highestApplied = Math.max(highestApplied, row.version);
      const file = byVersion.get(row.version);
      let state: AppliedMigration['file_state'] = 'ok';
      if (!file) {
        state = 'missing';
        problems.push({
          kind: 'missing-file',
          severity: 'error',
          version: row.version,
          message: `migration ${row.version} (${row.name}) is applied but its file is gone`,
          hint: 'restore the file from version control; never delete an applied migration, add a new one that undoes it',
        });
      } else if (file.name !== row.name) {
        state = 'changed';
        problems.push({
          kind: 'name-mismatch',
          severity: 'error',
          version: row.version,
          file: file.path,
          message: `${file.path} is applied under the name "${row.name}"; the file was renamed`,
          hint: `rename the file back to ${file.fileName.slice(0, file.fileName.indexOf('_'))}_${row.name}.sql`,
        });
      } else if (row.checksum === null) {
        state = 'unknown';
      } else if (row.checksum !== file.checksum) {
        state = 'changed';
        problems.push({
          kind: 'checksum-mismatch',
          severity: 'error',
          version: row.version,
          file: file.path,
          line: 1,
          message: `${file.path} was edited after it was applied (checksum differs)`,
          hint: 'restore the applied content (e.g. git checkout the file) and put the change in a new migration',
        });
      }
      return {
        version: row.version,
        name: row.name,
        applied_at: row.appliedAt.toISOString(),
        checksum: row.checksum,
        duration_ms: row.durationMs,
        file_state: state,
      };
    });

  const pending: Migration[] = [];
  const pendingInfo: PendingMigration[] = [];
  const fileErrors: PgshiftError[] = [];
  for (const source of migrations) {
    if (appliedVersions.has(source.version)) continue;
    const m = parseMigration(source);
    if (m instanceof PgshiftError) {
      fileErrors.push(m);
      continue;
    }
    const outOfOrder = m.version < highestApplied;
    if (outOfOrder) {
      problems.push({
        kind: 'out-of-order',
        severity: options.strictOrder ? 'error' : 'warning',
        version: m.version,
        file: m.path,
        message: `${m.path} is pending but a higher version (${highestApplied}) is already applied`,
        hint: options.strictOrder
          ? 'renumber it above the highest applied version, or run without --strict-order'
          : 'it will be applied now; check it does not depend on being applied before the later ones',
      });
    }
    pending.push(m);
    pendingInfo.push(pendingView(m, outOfOrder));
  }

  return { applied, appliedRows, pending, pendingInfo, problems, fileErrors, byVersion };
}

export function pendingView(m: Migration, outOfOrder: boolean): PendingMigration {
  return {
    version: m.version,
    name: m.name,
    file: m.path,
    transaction: m.transaction,
    statements: m.up.statements.length,
    has_down: m.down !== undefined,
    out_of_order: outOfOrder,
  };
}

/** Problems that stop `migrate` and `rollback`, as one error; undefined when none. */
export function blockingError(problems: readonly Problem[]): PgshiftError | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return undefined;
  const codeOf: Record<Problem['kind'], PgshiftError['code']> = {
    'checksum-mismatch': 'CHECKSUM_MISMATCH',
    'missing-file': 'MISSING_FILE',
    'name-mismatch': 'NAME_MISMATCH',
    'out-of-order': 'OUT_OF_ORDER',
    'invalid-file': 'VALIDATION_FAILED',
    'no-down': 'NO_DOWN_SECTION',
  };
  const all = errors.map(
    (p) =>
      new PgshiftError(codeOf[p.kind], p.message, {
        ...(p.file !== undefined && { location: { file: p.file, ...(p.line !== undefined && { line: p.line }) } }),
        ...(p.hint !== undefined && { hint: p.hint }),
      }),
  );
  const [first] = all;
  if (all.length === 1 && first) return first;
  return new PgshiftError(first?.code ?? 'VALIDATION_FAILED', `${all.length} problems with the migration history; nothing was run`, {
    problems: all,
    ...(first?.hint !== undefined && { hint: first.hint }),
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
export function selectToRollback(history: History, selector: RollbackSelector): readonly Migration[] | PgshiftError {
  const newestFirst = [...history.appliedRows].reverse();
  const rows = 'steps' in selector ? newestFirst.slice(0, selector.steps) : newestFirst.filter((row) => row.version > selector.target);
  const problems: PgshiftError[] = [];
  const migrations: Migration[] = [];
  const states = new Map(history.applied.map((a) => [a.version, a.file_state]));
  for (const row of rows) {
    const source = history.byVersion.get(row.version);
    const file = source && parseMigration(source);
    if (!source || !file) {
      problems.push(
        new PgshiftError(
          'MISSING_FILE',
          `migration ${row.version} (${row.name}) is applied but its file is gone, so it cannot be rolled back`,
          {
            hint: 'restore the file from version control',
          },
        ),
      );
    } else if (states.get(row.version) === 'changed') {
      problems.push(
        new PgshiftError('CHECKSUM_MISMATCH', `${source.path} was changed after it was applied; its DOWN may not undo what ran`, {
          location: { file: source.path },
          hint: 'restore the applied content of the file, then roll back',
        }),
      );
    } else if (file instanceof PgshiftError) {
      problems.push(file);
    } else if (!file.down) {
      problems.push(
        new PgshiftError('NO_DOWN_SECTION', `${file.path} has no -- DOWN part, so it cannot be rolled back`, {
          location: { file: file.path },
          hint: 'add a -- DOWN part with SQL that undoes the migration',
        }),
      );
    } else {
      migrations.push(file);
    }
  }
  const [first] = problems;
  if (!first) return migrations;
  if (problems.length === 1) return first;
  return new PgshiftError(
    first.code,
    `${problems.length} of the ${rows.length} migrations to roll back cannot be undone; nothing was rolled back`,
    {
      problems,
      ...(first.hint !== undefined && { hint: first.hint }),
    },
  );
}
