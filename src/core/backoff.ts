/**
 * How long to wait before retrying a migration that ran out of lock_timeout:
 * exponential, capped, with jitter so that runs (or statements) that failed
 * together do not come back together. Pure; the randomness is passed in.
 */

/** The backoff between lock-timeout retries. */
export interface LockRetryBackoff {
  /** The first wait, in ms. Default 1000. */
  readonly firstMs?: number | undefined;
  /** The longest single wait, in ms (each doubles up to it). Default 30000. */
  readonly maxMs?: number | undefined;
  /** No retry starts later than this after the migration's (or statement's) first attempt, in ms. Default 300000. */
  readonly totalMs?: number | undefined;
  /**
   * `equal` (the default): half the wait fixed, half random, so a retry never
   * comes straight back; `full`: anywhere from 0 to the wait.
   */
  readonly jitter?: 'full' | 'equal' | undefined;
}

export const DEFAULT_BACKOFF = { firstMs: 1000, maxMs: 30_000, totalMs: 300_000, jitter: 'equal' } as const;

/** The backoff with its defaults filled in. */
export type Backoff = { readonly [K in keyof LockRetryBackoff]-?: NonNullable<LockRetryBackoff[K]> };

export function backoffOf(given: LockRetryBackoff | undefined): Backoff {
  return {
    firstMs: given?.firstMs ?? DEFAULT_BACKOFF.firstMs,
    maxMs: given?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    totalMs: given?.totalMs ?? DEFAULT_BACKOFF.totalMs,
    jitter: given?.jitter ?? DEFAULT_BACKOFF.jitter,
  };
}

/**
 * The wait before retry number `retry` (1 for the first), in whole ms:
 * firstMs · 2^(retry-1), at most maxMs, jittered. `random` is in [0, 1).
 */
export function backoffDelay(retry: number, backoff: Backoff, random: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(retry - 1, 30));
  const spread = backoff.jitter === 'full' ? ceiling : ceiling / 2;
  return Math.round(ceiling - spread + spread * random);
}

/** What is wrong with a backoff given to the library, one message each. */
export function backoffProblems(given: LockRetryBackoff | undefined): string[] {
  if (given === undefined) return [];
  const problems: string[] = [];
  for (const key of ['firstMs', 'maxMs', 'totalMs'] as const) {
    const value = given[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(`lockRetryBackoff.${key} must be a whole number of milliseconds ≥ 0, got ${String(value)}`);
    }
  }
  if (given.jitter !== undefined && given.jitter !== 'full' && given.jitter !== 'equal') {
    problems.push(`lockRetryBackoff.jitter must be full or equal, got ${String(given.jitter as unknown)}`);
  }
  return problems;
}
