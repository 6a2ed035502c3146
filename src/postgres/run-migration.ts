import type { DbClient } from '../core/ports.js';
import { fail, type PgshiftError } from '../core/problem.js';
import { lineColumnAt, offsetFromServerPosition, serverPositionIn, shiftPosition } from '../core/source-position.js';
import type { TableName } from '../core/table-name.js';
import type { Direction, Migration, Section } from '../core/types.js';
import { retrySafety } from '../core/retry-safety.js';
import { isServerError, statementError } from './database-error.js';
import { blockedNote, LockGaveUp, retryingLockTimeouts, type LockRetry } from './lock-retry.js';
import { afterMigration, guardFailure, SERVER_DURATION, type TrackingGuard } from './sql.js';

/** One migration to run in one direction, on the run's session, recorded in its table. */
export interface MigrationRun {
  readonly client: DbClient;
  /** The tracking table, schema-qualified. */
  readonly table: TableName;
  readonly migration: Migration;
  readonly direction: Direction;
  readonly guard: TrackingGuard;
  /** Retrying lock timeouts; absent: a lock timeout fails the migration at once. */
  readonly lockRetry?: LockRetry | undefined;
}

/**
 * Runs one migration's UP or DOWN and records it in the tracking table.
 * Returns the time it took in milliseconds; throws a PgshiftError that
 * points into the file when a statement fails. The caller has checked that
 * a rollback's migration has a DOWN part.
 */
export async function runMigration(run: MigrationRun): Promise<number> {
  const section = run.direction === 'up' ? run.migration.up : run.migration.down!;
  const started = performance.now();
  if (run.migration.transaction === 'transaction') await runInTransaction(run, section);
  else await runStatementByStatement(run, section);
  return Math.round(performance.now() - started);
}

const PREFIX = 'BEGIN;\n';

const failureCode = (run: MigrationRun) => (run.direction === 'up' ? 'MIGRATION_FAILED' : 'ROLLBACK_FAILED');

/**
 * One round trip: BEGIN, the section, the reset and the checked tracking
 * change, and COMMIT go as a single simple-protocol message, so the
 * migration and its row commit together or not at all. The duration is
 * measured by the server.
 */
async function runInTransaction(run: MigrationRun, section: Section): Promise<void> {
  // Retried whole: a lock timeout rolled the whole transaction back.
  await runFramed(run, section, { begin: PREFIX, end: 'COMMIT;', outcome: 'its transaction was rolled back' }, (send) =>
    retryingLockTimeouts(run.lockRetry, send),
  );
}

/**
 * For a run that keeps one transaction open across its migrations (`fleet
 * migrate --atomic`): the section, the reset and the checked tracking change
 * (then `after`, SQL of the caller's) as one message inside the caller's
 * transaction, with no BEGIN or COMMIT. Returns the time it took in
 * milliseconds; a failure leaves the transaction aborted, for the caller to
 * roll back, and throws a PgshiftError that points into the file. No lock
 * retries: a lock timeout aborted the whole transaction, not just this part.
 */
export async function runInOpenTransaction(run: MigrationRun, after = ''): Promise<number> {
  const section = run.direction === 'up' ? run.migration.up : run.migration.down!;
  const started = performance.now();
  if (run.lockRetry === undefined) {
    await runFramed(run, section, { begin: '', end: after, outcome: 'the whole transaction was rolled back' }, (send) => send());
  } else {
    // Under a savepoint, so that a lock timeout undoes this migration alone (and frees the locks it took) and it is tried again.
    const frame = {
      begin: `SAVEPOINT ${ATTEMPT};\n`,
      end: `${after}RELEASE SAVEPOINT ${ATTEMPT};`,
      undo: `ROLLBACK TO SAVEPOINT ${ATTEMPT}; RELEASE SAVEPOINT ${ATTEMPT}`,
      outcome: 'the whole transaction was rolled back',
    };
    await runFramed(run, section, frame, (send) => retryingLockTimeouts(run.lockRetry, send));
  }
  return Math.round(performance.now() - started);
}

/** The savepoint a migration of an open transaction runs under when its lock timeouts are retried. */
const ATTEMPT = 'pgshift_attempt';

/** What goes around a section in its message, and what a failure means for it. */
interface Frame {
  readonly begin: string;
  readonly end: string;
  /** What undoes a failed attempt: ROLLBACK when the frame began the transaction. */
  readonly undo?: string;
  readonly outcome: string;
}

async function runFramed(
  run: MigrationRun,
  section: Section,
  frame: Frame,
  attempt: (send: () => Promise<void>) => Promise<void>,
): Promise<void> {
  // The newline keeps a trailing `-- comment` in the section from swallowing what follows.
  const text = `${frame.begin}${section.sql}\n;\n${afterMigration(run.table, run.migration, run.direction, SERVER_DURATION, run.guard)};\n${frame.end}`;
  try {
    await attempt(async () => {
      try {
        await run.client.query(text);
      } catch (error) {
        // The server may have left the transaction open and failed; a ROLLBACK with none open only warns.
        const undo = frame.undo ?? (frame.begin !== '' ? 'ROLLBACK' : undefined);
        if (undo !== undefined) await run.client.query(undo).catch(() => {});
        throw error;
      }
    });
  } catch (thrown) {
    const error = thrown instanceof LockGaveUp ? thrown.error : thrown;
    const note = thrown instanceof LockGaveUp ? `${blockedNote(thrown)}; ${frame.outcome}` : undefined;
    throw (
      guarded(error, run, frame.outcome) ??
      statementError(
        error,
        failureCode(run),
        run.direction === 'up' ? '' : 'rolling back: ',
        locate(error, run.migration, section, frame.begin.length),
        note,
      )
    );
  }
}

/**
 * For `-- pgshift:no-transaction`: each statement on its own, as PostgreSQL
 * requires for CREATE INDEX CONCURRENTLY and the like, then the reset and
 * the checked tracking change in one message of their own. A failure part
 * way is not recorded; the statements before it took effect.
 */
async function runStatementByStatement(run: MigrationRun, section: Section): Promise<void> {
  const started = performance.now();
  const { statements } = section;
  const file = run.migration.path;
  for (const [i, statement] of statements.entries()) {
    try {
      const safety = retrySafety(statement.sql);
      await retryingLockTimeouts(run.lockRetry, () => run.client.query(statement.sql), {
        line: statement.line,
        ...(safety.kind === 'refuse' && { refuse: safety.reason }),
        ...(safety.kind === 'drop-index' && { prepare: () => dropInvalidIndex(run.client, safety) }),
      });
    } catch (thrown) {
      const error = thrown instanceof LockGaveUp ? thrown.error : thrown;
      const position = serverPosition(error);
      const at = position === undefined ? statement : serverPositionIn(statement.sql, statement, position);
      const note = [
        thrown instanceof LockGaveUp ? blockedNote(thrown) : '',
        i === 0
          ? `it was statement 1 of ${statements.length}; nothing took effect and the migration is not recorded`
          : `it was statement ${i + 1} of ${statements.length}; statements 1 to ${i} took effect (this migration runs without a transaction) and it is not recorded: make the rest safe to run again, or undo them by hand, then run again`,
      ]
        .filter(Boolean)
        .join('; ');
      throw statementError(error, failureCode(run), '', { file, line: at.line, column: at.column }, note);
    }
  }
  const duration = String(Math.round(performance.now() - started));
  try {
    await run.client.query(afterMigration(run.table, run.migration, run.direction, duration, run.guard));
  } catch (error) {
    throw (
      guarded(error, run, 'its statements took effect but it is not recorded') ??
      statementError(
        error,
        'DATABASE_ERROR',
        `recording ${run.migration.fileName} in ${run.table.display}: `,
        { file },
        'its statements took effect but it is not recorded',
      )
    );
  }
}

/** The index of $2 (unquoted) on table $1 (as written), and whether it is valid. */
const INDEX_OF = `
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name, i.indisvalid AS valid
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE i.indrelid = pg_catalog.to_regclass($1) AND c.relname = $2`;

/**
 * Readies a CREATE INDEX CONCURRENTLY that ran out of lock_timeout to be
 * sent again (core/retry-safety.ts): one that timed out after making its
 * index left it invalid, and it is dropped (concurrently, as the lint's fix
 * does) first. Says why not when it cannot be.
 */
async function dropInvalidIndex(client: DbClient, safety: { readonly table: string; readonly index: string }): Promise<string | undefined> {
  let found: { name: string; valid: boolean } | undefined;
  try {
    found = (await client.query<{ name: string; valid: boolean }>(INDEX_OF, [safety.table, safety.index])).rows[0];
    if (found === undefined) return undefined;
    if (found.valid) return `the index ${found.name} exists and is valid`;
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${found.name}`);
    return undefined;
  } catch (error) {
    const what = found
      ? `the invalid index ${found.name} it left could not be dropped`
      : 'the index it may have left could not be looked up';
    return `${what} (${error instanceof Error ? error.message : String(error)}): drop it with DROP INDEX CONCURRENTLY IF EXISTS, then run again`;
  }
}

/** A failure pgshift's own checks raised after the migration: said plainly, on the file. */
function guarded(error: unknown, run: MigrationRun, outcome: string): PgshiftError | undefined {
  const what = isServerError(error) ? guardFailure(error.message) : undefined;
  if (what === undefined) return undefined;
  return fail(failureCode(run), `${what}; ${outcome}`, {
    file: run.migration.path,
    version: run.migration.version,
    hint: "pgshift's tracking table, its lock and its session settings are its own: change them outside migrations",
  });
}

const serverPosition = (error: unknown): number | undefined =>
  isServerError(error) && error.position ? Number(error.position) : undefined;

/**
 * Maps the error back into the file: by the server's character position
 * when it gave one (counted in the whole message, so minus the prefix),
 * otherwise to the statement after the last one that completed (BEGIN, when
 * the message starts with one, completed first, so the failed statement's
 * index is one less).
 */
function locate(error: unknown, migration: Migration, section: Section, prefix: number): { file: string; line?: number; column?: number } {
  const file = migration.path;
  const position = serverPosition(error);
  if (position !== undefined && position > prefix) {
    const offset = offsetFromServerPosition(section.sql, position - prefix);
    // Past the section's end is what pgshift appended: the statement count tells more.
    if (offset < section.sql.length)
      return { file, ...shiftPosition({ line: section.startLine, column: 1 }, lineColumnAt(section.sql, offset)) };
  }
  const completed = isServerError(error) ? error.completedCommands : undefined;
  const statement = completed === undefined ? undefined : section.statements[completed - (prefix > 0 ? 1 : 0)];
  return statement ? { file, line: statement.line, column: statement.column } : { file };
}
