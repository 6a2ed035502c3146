import type { Direction, Migration, MigratorEvent } from '../core/types.js';
import type { MigrationLock } from '../postgres/lock.js';
import type { LockRetry } from '../postgres/lock-retry.js';
import type { Settings } from '../options.js';

/** How often the lock session asks who a waiting migration waits behind: a few times within the lock timeout, at most every 0.5 s. */
const watchEvery = (lockTimeoutMs: number | undefined) =>
  lockTimeoutMs ? Math.max(20, Math.min(500, Math.floor(lockTimeoutMs / 4))) : 500;

/**
 * A migration's lock-timeout retries: as the settings ask, watched from the
 * lock's session, each retry an event and counted. With neither a lock
 * timeout nor retries asked for, none: the server's behaviour, unwatched.
 */
export function lockRetryOf(
  settings: Settings,
  on: { readonly lock: MigrationLock; readonly pid: number; readonly emit: (event: MigratorEvent) => void },
  migration: Migration,
  direction: Direction,
  counted: { retries: number },
): LockRetry | undefined {
  if (settings.lockRetries === 0 && !settings.lockTimeoutMs) return undefined;
  const retries = settings.lockRetries;
  return {
    retries,
    backoff: settings.lockRetryBackoff,
    watch: { client: on.lock.client, pid: on.pid, everyMs: watchEvery(settings.lockTimeoutMs) },
    onRetry: (retry) => {
      counted.retries += 1;
      on.emit({
        type: 'lock-retry',
        direction,
        migration,
        retries,
        retry: retry.retry,
        delayMs: retry.delayMs,
        blockers: retry.blockers,
        ...(retry.relation !== undefined && { relation: retry.relation }),
        ...(retry.line !== undefined && { line: retry.line }),
      });
    },
  };
}
