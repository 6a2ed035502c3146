import type { ConnectionInput } from '../postgres/connection-info.js';
import type { PreparedTarget } from '../engine/prepared.js';
import { undone } from '../engine/prepared.js';
import { finishTransaction, transactionFate } from '../engine/finish.js';
import type { CoordinatorFate } from '../engine/leftovers.js';
import type { Settings } from '../options.js';
import type { AtomicTargetResult } from './atomic.js';

/** A prepared target finished as decided: its result, and when (performance.now()). */
export interface Finished {
  readonly prepared: PreparedTarget;
  readonly result: AtomicTargetResult;
  readonly at: number;
}

/** Commits or rolls back one prepared target and frees its lock. Never throws: a transaction that could not be ended is `in-doubt`. */
export async function finishTarget(prepared: PreparedTarget, how: 'commit' | 'rollback'): Promise<Finished> {
  const outcome = await finishTransaction(prepared, how);
  const at = performance.now();
  await prepared.lock.release();
  const heldMs = Math.round(at - prepared.preparedAt);
  const base = { id: prepared.id, gid: prepared.gid, heldMs, leftovers: [] };
  if (outcome.error) {
    return { prepared, at, result: { ...base, status: 'in-doubt', results: prepared.results, error: outcome.error } };
  }
  const committed = how === 'commit';
  return {
    prepared,
    at,
    result: { ...base, status: committed ? 'committed' : 'rolled-back', results: committed ? prepared.results : undone(prepared.results) },
  };
}

/** What became of transaction `xid` on a target. */
export const fateOn = (connection: ConnectionInput, settings: Settings, xid: string): Promise<CoordinatorFate> =>
  transactionFate(connection, settings, xid);
