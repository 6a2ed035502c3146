/**
 * Retrying what ran out of lock_timeout (SQLSTATE 55P03). A migration in a
 * transaction is retried whole: the server rolled it back, so the database
 * is as it was. Waits grow (core/backoff.ts) up to a number of retries and a
 * total; each retry is reported; giving up names who held the lock.
 */
import { backoffDelay, type Backoff } from '../core/backoff.js';
import type { DbClient } from '../core/ports.js';
import type { LockBlocker } from '../core/types.js';
import { type Blocked, watchBlockers } from './blockers.js';
import { isServerError } from './database-error.js';

/** How a run retries lock timeouts; absent, or `retries` 0 and no watch: it does not. */
export interface LockRetry {
  readonly retries: number;
  readonly backoff: Backoff;
  /** A second session to see who a waiting statement waits behind, and the migration session's pid. */
  readonly watch?: { readonly client: DbClient; readonly pid: number; readonly everyMs: number } | undefined;
  /** Called before each retry's wait. */
  readonly onRetry: (retry: { readonly retry: number; readonly delayMs: number; readonly line?: number } & Blocked) => void;
}

/** The lock timeout that was the last straw: the server's error, who it waited behind, how many retries came before. */
export class LockGaveUp extends Error {
  constructor(
    readonly error: unknown,
    readonly blocked: Blocked,
    readonly retried: number,
    readonly reason: string,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

export const isLockTimeout = (error: unknown): boolean => isServerError(error) && error.code === '55P03';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it does not fail with a lock timeout, or retries run
 * out. `refuse` says why it may not be retried at all (a statement that is
 * not safe to repeat); `prepare`, after the wait and before the retry,
 * readies it (drops what the failed attempt left) or says why it cannot.
 * Any other error passes through as thrown; a lock timeout that is not
 * retried comes out as a LockGaveUp.
 */
export async function retryingLockTimeouts<T>(
  retry: LockRetry | undefined,
  attempt: () => Promise<T>,
  options: { readonly line?: number; readonly refuse?: string; readonly prepare?: () => Promise<string | undefined> } = {},
): Promise<T> {
  const started = Date.now();
  for (let done = 0; ; done++) {
    const watch = retry?.watch && watchBlockers(retry.watch.client, retry.watch.pid, retry.watch.everyMs);
    let failure: unknown;
    try {
      const result = await attempt();
      await watch?.stop();
      return result;
    } catch (error) {
      failure = error;
    }
    const blocked = (await watch?.stop()) ?? { blockers: [] };
    if (!isLockTimeout(failure)) throw failure;
    const gaveUp = (reason: string) => new LockGaveUp(failure, blocked, done, reason);
    const after = `after ${done} ${done === 1 ? 'retry' : 'retries'}`;
    // Not asked to retry or watch: the server's error as it is, as before.
    if (retry === undefined) throw failure;
    if (retry.retries === 0) throw gaveUp('');
    if (done >= retry.retries) throw gaveUp(after);
    if (options.refuse !== undefined) throw gaveUp(`${done > 0 ? `${after}, ` : ''}not retried: ${options.refuse}`);
    const delayMs = backoffDelay(done + 1, retry.backoff, Math.random());
    if (Date.now() - started + delayMs > retry.backoff.totalMs) {
      throw gaveUp(`${after}, at the retries' total of ${Math.round(retry.backoff.totalMs / 1000)} s`);
    }
    retry.onRetry({ retry: done + 1, delayMs, ...(options.line !== undefined && { line: options.line }), ...blocked });
    await sleep(delayMs);
    const unready = await options.prepare?.();
    if (unready !== undefined) throw gaveUp(`${after}: ${unready}`);
  }
}

/** `pid 4242 (user app, application_name "psql", idle in transaction, transaction open 12.5 s, holds the lock): SELECT … WHERE id = $1` */
export function describeBlocker(b: LockBlocker): string {
  const parts = [
    b.user !== null ? `user ${b.user}` : undefined,
    `application_name "${b.applicationName}"`,
    b.state ?? undefined,
    b.transactionMs !== null ? `transaction open ${(b.transactionMs / 1000).toFixed(1)} s` : undefined,
    b.holds ? 'holds the lock' : 'queued ahead for it',
  ].filter(Boolean);
  return `pid ${b.pid} (${parts.join(', ')})${b.query ? `: ${b.query}` : ''}`;
}

/** What a lock timeout's error adds: who held the lock, or that pgshift could not see them. */
export function blockedNote(gaveUp: LockGaveUp): string {
  const { relation, blockers } = gaveUp.blocked;
  const on = relation !== undefined ? ` on ${relation}` : '';
  const who =
    blockers.length > 0
      ? `it waited for a lock${on} behind ${blockers.map(describeBlocker).join('; ')}`
      : 'the sessions it waited behind were not seen (they may have ended, or pgshift may not read pg_stat_activity)';
  return [gaveUp.reason ? `gave up ${gaveUp.reason}` : '', who].filter(Boolean).join('; ');
}
