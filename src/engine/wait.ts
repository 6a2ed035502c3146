/**
 * `wait`: polls the tracking table until a version is applied, for a deploy
 * that must not start before its migration. Read-only, one short query a
 * poll, on one session kept open between polls.
 */
import { failAll, PgshiftError, problem, type Problem } from '../core/problem.js';
import type { MigratorEvent } from '../core/types.js';
import { databaseError, isConnectionLoss } from '../postgres/database-error.js';
import { readLatestVersion, type LatestVersion } from '../postgres/latest-version.js';
import { openSession, type Session } from '../postgres/pg-client.js';
import type { Settings } from '../options.js';
import { requireConnection } from './open.js';
import { DEFAULT_WAIT_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS } from './defaults.js';

/** What `wait()` is asked. */
export interface WaitOptions {
  /** Reached when this version, or a later one, is the highest applied. */
  readonly atLeast: number;
  /** How long to wait in all, in ms. Default 600000 (10 min); 0 looks once. */
  readonly timeoutMs?: number;
  /** Between two polls, in ms. Default 2000. */
  readonly intervalMs?: number;
  /** Stops the wait early: the report then says `aborted`. */
  readonly signal?: AbortSignal;
}

/** What `wait()` returns. It throws only when it cannot look (see the method). */
export interface WaitReport {
  /** True when the highest applied version is `atLeast` or later. */
  readonly reached: boolean;
  /** `reached`; `timeout` when the time ran out first; `aborted` when the signal stopped it. */
  readonly outcome: 'reached' | 'timeout' | 'aborted';
  readonly atLeast: number;
  /** The highest applied version when the wait ended; null when none (or no tracking table yet). */
  readonly currentVersion: number | null;
  readonly tableExists: boolean;
  readonly waitedMs: number;
  /** How many times the table was read. */
  readonly polls: number;
}

/** How often a progress event is sent while nothing changes: not on every poll. */
const PROGRESS_EVERY_MS = 30_000;
/** The longest pause between two tries to reach a server that went away. */
const MAX_BACKOFF_MS = 30_000;
/**
 * The poll's session: read-only, and short timeouts so that a poll queued
 * behind a migrate's ALTER of the tracking table gives up and asks again
 * rather than joining the lock queue in front of other sessions.
 */
const SESSION = { readOnly: true, lockTimeoutMs: 1_000, statementTimeoutMs: 10_000 } as const;
/**
 * A poll unanswered this long means the connection is gone, though no socket
 * error came (a network that drops packets without a reset): the server's
 * statement_timeout would have ended the query first.
 */
const POLL_ANSWER_MS = 15_000;

/** The options checked: every bad one reported together. */
function checked(options: WaitOptions): Required<Omit<WaitOptions, 'signal'>> {
  const problems: Problem[] = [];
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min))
      problems.push(problem('INVALID_OPTION', `${name} must be a whole number ≥ ${min}, got ${String(value)}`));
  };
  if (options.atLeast === undefined) problems.push(problem('INVALID_OPTION', 'atLeast is required: the version to wait for'));
  whole('atLeast', options.atLeast, 0);
  whole('timeoutMs', options.timeoutMs, 0);
  whole('intervalMs', options.intervalMs, 1);
  if (problems.length > 0) throw failAll(problems, `${problems.length} invalid wait options`);
  return {
    atLeast: options.atLeast,
    timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    intervalMs: options.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS,
  };
}

/**
 * Polls until the highest applied version is `atLeast` or later, the time
 * runs out, or the signal aborts. The first connection must succeed (a wrong
 * address or password is said at once, not after the timeout); a connection
 * lost later is made again with a backoff from the interval doubling to 30 s,
 * and a server still unreachable when the time runs out is a failure.
 */
export async function waitFor(settings: Settings, options: WaitOptions): Promise<WaitReport> {
  const { atLeast, timeoutMs, intervalMs } = checked(options);
  const connection = requireConnection(settings.connection);
  const emit = (event: MigratorEvent) => settings.onEvent?.(event);
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let session: Session | undefined = await openSession(connection, SESSION);
  let seen: LatestVersion = { tableExists: false, version: null };
  let polls = 0;
  let lastProgress: number | undefined;
  let lost: PgshiftError | undefined;
  let backoff = intervalMs;
  const report = (outcome: WaitReport['outcome']): WaitReport => ({
    reached: outcome === 'reached',
    outcome,
    atLeast,
    currentVersion: seen.version,
    tableExists: seen.tableExists,
    waitedMs: elapsed(),
    polls,
  });
  try {
    for (;;) {
      if (options.signal?.aborted) return report('aborted');
      let pause = intervalMs;
      try {
        session ??= await openSession(connection, SESSION);
        const read = await answered(readLatestVersion(session.client, settings.table), POLL_ANSWER_MS);
        polls++;
        lost = undefined;
        backoff = intervalMs;
        if (read) seen = read;
        if (seen.version !== null && seen.version >= atLeast) return report('reached');
        if (lastProgress === undefined || elapsed() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = elapsed();
          emit({ type: 'wait-progress', atLeast, currentVersion: seen.version, tableExists: seen.tableExists, waitedMs: elapsed() });
        }
      } catch (error) {
        // A problem with the table or the server's answer is final; only a connection that went away is waited out.
        if (!connectionGone(error)) throw error;
        void session?.close();
        session = undefined;
        lost =
          error instanceof PgshiftError
            ? error
            : databaseError(error, `reading the tracking table ${settings.table.display}`, 'CONNECTION_FAILED');
        pause = backoff;
        backoff = Math.min(backoff * 2, Math.max(MAX_BACKOFF_MS, intervalMs));
        emit({ type: 'wait-unreachable', reason: lost.message, retryInMs: Math.min(pause, Math.max(0, timeoutMs - elapsed())) });
      }
      const left = timeoutMs - elapsed();
      if (left <= 0) {
        if (lost) throw lost;
        return report('timeout');
      }
      await sleep(Math.min(pause, left), options.signal);
    }
  } finally {
    await session?.close();
  }
}

/** A connection that could not be made again, or one lost mid-query (the server ended it, a socket error). */
function connectionGone(error: unknown): boolean {
  if (error instanceof PgshiftError) return error.code === 'CONNECTION_FAILED';
  const code = (error as { code?: unknown } | null)?.code;
  return isConnectionLoss(error) || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
}

/** The promise's outcome, or an ETIMEDOUT error (a connection gone, to {@link connectionGone}) after `ms`. */
async function answered<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`the server did not answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
