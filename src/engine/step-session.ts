import { qualify } from '../core/table-name.js';
import type { Direction, Migration } from '../core/types.js';
import { outcomeOf } from '../core/views.js';
import { takeLock } from '../postgres/lock.js';
import { openSession } from '../postgres/pg-client.js';
import { prepareTracking, readTracking, setUpSession } from '../postgres/tracking.js';
import type { Settings } from '../options.js';
import { requireConnection } from './open.js';
import { lockLost, runStep, type StepResult } from './run-step.js';

/**
 * One run's session and lock kept for many steps, each a migration in one
 * direction, as `migrate` runs its migrations one after another on one
 * session: verify applies, rolls back and applies again each new migration
 * this way, rather than opening a run (two connections, the tracking table
 * read twice) for each step. The files' history is the caller's to check.
 */
export interface StepSession {
  run(migration: Migration, direction: Direction): Promise<StepResult>;
  /** False once its session or its lock's has ended (a migration ended it, say): open another. */
  alive(): boolean;
  /** Never throws. */
  close(): Promise<void>;
}

/** Opens the session and takes the lock together, then readies the tracking table (created when missing) and the session. */
export async function openStepSession(settings: Settings): Promise<StepSession> {
  const connection = requireConnection(settings.connection);
  const [session, lock] = await Promise.allSettled([
    openSession(connection, settings),
    takeLock(connection, settings, { table: settings.table, waitMs: settings.lockWaitMs }),
  ]);
  const close = async () => {
    if (session.status === 'fulfilled') await session.value.close();
    if (lock.status === 'fulfilled') await lock.value.release();
  };
  if (session.status === 'rejected' || lock.status === 'rejected') {
    await close();
    throw session.status === 'rejected' ? session.reason : (lock as PromiseRejectedResult).reason;
  }
  try {
    const { client } = session.value;
    // The schema the server resolved the table to when the lock was taken, whatever a migration does to search_path.
    const table = qualify(settings.table, lock.value.schema);
    const tracking = await readTracking(client, table);
    await prepareTracking(client, table, tracking);
    const { guard, pid } = await setUpSession(client, table, lock.value.major >= 14, settings.searchPath);
    const applied = new Map(tracking.rows.map((row) => [row.version, row.name]));
    const emit = settings.onEvent ?? (() => {});
    const ctx = { settings, client, table, lock: lock.value, guard, pid, applied, emit };
    return {
      run: async (migration, direction) =>
        lock.value.held() ? runStep(ctx, migration, direction) : { outcome: outcomeOf(migration, 'not-executed'), error: lockLost() },
      alive: () => session.value.alive() && lock.value.held(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
