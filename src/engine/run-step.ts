import { fail, PgshiftError } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import type { AppliedRow, Direction, Migration, MigrationOutcome, MigratorEvent } from '../core/types.js';
import { outcomeOf } from '../core/views.js';
import type { DbClient } from '../core/ports.js';
import type { MigrationLock } from '../postgres/lock.js';
import { runMigration } from '../postgres/run-migration.js';
import type { TrackingGuard } from '../postgres/sql.js';
import { readTracking } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { lockRetryOf } from './lock-retries.js';
import { unexpectedError } from './unexpected.js';

/** What running a migration needs once the lock is held and the run's session is set up. */
export interface StepContext {
  readonly settings: Settings;
  /** The run's session, set up by `setUpSession`. */
  readonly client: DbClient;
  /** The tracking table, schema-qualified. */
  readonly table: TableName;
  readonly lock: MigrationLock;
  readonly guard: Omit<TrackingGuard, 'rows'>;
  /** The run's backend, whose lock waits the lock's session watches. */
  readonly pid: number;
  /** What the tracking table holds: version → name; kept up to date by each step. */
  readonly applied: Map<number, string>;
  readonly emit: (event: MigratorEvent) => void;
}

/** A migration's outcome, and the error that must stop the run after it (its own failure, or damage it did). */
export interface StepResult {
  readonly outcome: MigrationOutcome;
  readonly error?: PgshiftError;
}

/**
 * Runs one migration in one direction on the run's session, as every run
 * does: its events, its lock-timeout retries, the checked tracking change.
 * Never throws.
 */
export async function runStep(ctx: StepContext, migration: Migration, direction: Direction): Promise<StepResult> {
  const { settings, client, table, applied, emit } = ctx;
  emit({ type: 'migration-start', direction, migration });
  const counted = { retries: 0 };
  const lockRetry = lockRetryOf(settings, { lock: ctx.lock, pid: ctx.pid, emit }, migration, direction, counted);
  let done: MigrationOutcome;
  try {
    const durationMs = await runMigration({ client, table, migration, direction, guard: { ...ctx.guard, rows: applied.size }, lockRetry });
    done = withRetries(outcomeOf(migration, 'success', durationMs), counted.retries);
  } catch (error) {
    const failed = withRetries(outcomeOf(migration, 'error'), counted.retries);
    emit({ type: 'migration-done', direction, outcome: failed });
    return { outcome: failed, error: error instanceof PgshiftError ? error : unexpectedError(error) };
  }
  emit({ type: 'migration-done', direction, outcome: done });
  if (direction === 'up') applied.set(migration.version, migration.name);
  else applied.delete(migration.version);
  // Without a transaction around it, the migration's statements committed one by one: read the history again to see it untouched.
  if (migration.transaction === 'none') {
    try {
      const damage = historyDamage(applied, (await readTracking(client, table)).rows, migration, table);
      if (damage) return { outcome: done, error: damage };
    } catch (error) {
      // The migration ran and is recorded; the history could not be read after it.
      return { outcome: done, error: error instanceof PgshiftError ? error : unexpectedError(error) };
    }
  }
  return { outcome: done };
}

/** An outcome with the lock retries it took, when it took any. */
export const withRetries = (outcome: MigrationOutcome, retries: number): MigrationOutcome =>
  retries > 0 ? { ...outcome, lockRetries: retries } : outcome;

/** The lock's session ended under the run: another run may have started; nothing more may run. */
export function lockLost(): PgshiftError {
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
