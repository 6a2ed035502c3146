import type { PgshiftError } from '../core/problem.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import { openSession, type Session, type SessionSettings } from '../postgres/pg-client.js';
import { finishPrepared, listPrepared, transactionStatus } from '../postgres/prepared.js';
import type { CoordinatorFate } from './leftovers.js';
import type { PreparedTarget } from './prepared.js';
import { unexpectedError } from './unexpected.js';

/**
 * Commits or rolls back a prepared target's transaction on its lock's
 * session. When that fails (the session ended, the answer was lost) it looks
 * again on a new session: a transaction no longer prepared has been ended;
 * one still prepared is sent the decision once more. Never throws: what
 * could not be ended is the error, and stays for the next run's rule.
 */
export async function finishTransaction(prepared: PreparedTarget, how: 'commit' | 'rollback'): Promise<{ readonly error?: PgshiftError }> {
  try {
    await finishPrepared(prepared.lock.client, prepared.gid, how);
    return {};
  } catch {
    let session: Session | undefined;
    try {
      session = await openSession(prepared.connection);
      const still = (await listPrepared(session.client, prepared.gid)).some((x) => x.gid === prepared.gid);
      if (still) await finishPrepared(session.client, prepared.gid, how);
      return {};
    } catch (thrown) {
      return { error: unexpectedError(thrown) };
    } finally {
      await session?.close();
    }
  }
}

/** What became of transaction `xid` on a database; undefined when it cannot be read. */
export async function transactionFate(connection: ConnectionInput, settings: SessionSettings, xid: string): Promise<CoordinatorFate> {
  let session: Session | undefined;
  try {
    session = await openSession(connection, settings);
    return await transactionStatus(session.client, xid);
  } catch {
    return undefined;
  } finally {
    await session?.close();
  }
}

/** Ends the prepared transaction `gid` on a database, by its name, on a session of its own. Never throws: a failure is returned. */
async function endPrepared(connection: ConnectionInput, gid: string, how: 'commit' | 'rollback'): Promise<PgshiftError | undefined> {
  let session: Session | undefined;
  try {
    session = await openSession(connection);
    await finishPrepared(session.client, gid, how);
    return undefined;
  } catch (thrown) {
    return unexpectedError(thrown);
  } finally {
    await session?.close();
  }
}

/**
 * `COMMIT PREPARED` by gid, for a transaction the rule of leftovers.ts says
 * to commit. Only the user who prepared it (or a superuser) may.
 * @example await commitPrepared(url, 'pgshift:20261206T213000Z-3f9a1c:eu:us:4242')
 */
export const commitPrepared = (connection: ConnectionInput, gid: string) => endPrepared(connection, gid, 'commit');

/** `ROLLBACK PREPARED` by gid; as commitPrepared. */
export const rollbackPrepared = (connection: ConnectionInput, gid: string) => endPrepared(connection, gid, 'rollback');
