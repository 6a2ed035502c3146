/** What runAtomic checks of its input and of the servers' room before anything runs. */
import { randomBytes } from 'node:crypto';
import { problem, type Problem } from '../core/problem.js';
import { gidKey, RUN_ID } from '../engine/leftovers.js';
import type { AtomicTarget, TargetPreflight } from '../engine/prepared.js';

const MAX_CONCURRENCY = 64;

/** The concurrency (checked, default 8), the run id, the targets' ids: every problem at once. */
export function checkInput(targets: readonly AtomicTarget[], given: number | undefined, runId: string) {
  const problems: Problem[] = [];
  const concurrency = given ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    problems.push(problem('INVALID_OPTION', `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${String(given)}`));
  }
  if (!RUN_ID.test(runId)) {
    problems.push(problem('INVALID_OPTION', `run id ${JSON.stringify(runId)} must be letters, digits, ., _ and -, up to 40`));
  }
  const seen = new Set<string>();
  for (const target of targets) {
    const key = gidKey(target.id);
    if (seen.has(key))
      problems.push(problem('INVALID_OPTION', `target ${target.id} is listed twice`, { hint: 'give each target its own id' }));
    seen.add(key);
  }
  return { problems, concurrency: Math.min(Math.max(1, Math.floor(concurrency) || 1), MAX_CONCURRENCY) };
}

/** Per server, room for the run: a prepared transaction per target with work, a connection per target (its lock) plus those preparing. */
export function capacityProblems(checks: readonly TargetPreflight[], concurrency: number): Problem[] {
  const servers = new Map<string, TargetPreflight[]>();
  for (const c of checks) if (c.pending.length > 0) servers.set(c.server, [...(servers.get(c.server) ?? []), c]);
  const problems: Problem[] = [];
  for (const [server, list] of servers) {
    const capacity = list[0]!.capacity!;
    const free = capacity.maxPrepared - capacity.usedPrepared;
    if (list.length > free) {
      problems.push(
        problem(
          'ATOMIC_REFUSED',
          `server ${server}: ${list.length} targets to prepare, room for ${free} prepared transactions (max_prepared_transactions ${capacity.maxPrepared}, ${capacity.usedPrepared} in use)`,
          {
            hint: 'raise max_prepared_transactions (a restart), or split the run into smaller groups of targets',
          },
        ),
      );
    }
    const connections = list.length + Math.min(concurrency, list.length);
    if (connections > capacity.freeConnections) {
      problems.push(
        problem(
          'ATOMIC_REFUSED',
          `server ${server}: the run needs up to ${connections} connections (one per target until it is finished, one more per target preparing), ${capacity.freeConnections} are free`,
          {
            hint: 'lower --concurrency, raise max_connections, or split the run into smaller groups of targets',
          },
        ),
      );
    }
  }
  return problems;
}

/** `20261206T213000Z-3f9a1c`: sortable, and unique enough for runs. */
export function newRunId(): string {
  const time = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}-${randomBytes(3).toString('hex')}`;
}
