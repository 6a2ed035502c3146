/**
 * `fleet migrate --atomic`: every target or none (runAtomic, atomic.ts) in
 * place of the waves, its outcome kept in the run's ledger like any run's:
 * one record per target, and why the run stopped when it rolled back.
 */
import type { Problem } from '../core/problem.js';
import type { ErrorRecord, FleetEvent, TargetRecord } from '../core/fleet.js';
import type { LedgerWriter } from './ledger.js';
import { runAtomic, type AtomicTargetResult } from './atomic.js';
import { errorRecord, type TargetSettings } from './target-run.js';
import type { Target } from './targets.js';

/** The one "wave" an all-or-none run has. */
export const ATOMIC_WAVE = 'all-or-none';

export interface AtomicRunOptions {
  readonly targets: readonly Target[];
  readonly settings: TargetSettings;
  readonly concurrency: number;
  readonly runId: string;
  readonly ledger: LedgerWriter;
  readonly onEvent?: ((event: FleetEvent) => void) | undefined;
}

/** Runs the targets as one all-or-none run; returns why it did not commit everywhere, if it did not, and its lock window. */
export async function runAllOrNone(
  options: AtomicRunOptions,
): Promise<{ readonly stopped?: string; readonly lockWindowMs: number; readonly refusals: readonly Problem[] }> {
  const { targets, ledger, onEvent } = options;
  const counts = { done: 0, failed: 0, running: 0, total: targets.length };
  onEvent?.({ type: 'wave-start', wave: ATOMIC_WAVE, targets: targets.length });
  for (const t of targets) ledger.set({ id: t.id, wave: ATOMIC_WAVE, status: 'running' });
  const result = await runAtomic(
    targets.map((t) => ({ id: t.id, connection: t.connection, ...(t.schema !== undefined && { schema: t.schema }) })),
    { ...options.settings, concurrency: options.concurrency, runId: options.runId },
  );
  const failed = result.targets.filter((t) => t.status === 'failed' || t.status === 'in-doubt').map((t) => t.id);
  const stopped =
    result.decision === 'rollback'
      ? `all or none: ${failed.length > 0 ? `${failed.join(', ')} failed` : 'a target failed'}, every target rolled back`
      : result.decision === 'refused'
        ? 'all or none: refused before anything ran (see the problems)'
        : undefined;
  for (const target of result.targets) {
    const record = recordOf(target, stopped);
    if (record.status === 'done') counts.done++;
    else if (record.status === 'failed') counts.failed++;
    ledger.set(record);
    onEvent?.({ type: 'target-done', record, counts: { ...counts } });
  }
  if (stopped !== undefined) onEvent?.({ type: 'stopped', reason: stopped });
  await ledger.flush();
  const refusals = result.decision === 'refused' ? (result.error?.problems ?? []) : [];
  return { ...(stopped !== undefined && { stopped }), lockWindowMs: result.lockWindowMs, refusals };
}

/** A target's outcome as the ledger keeps it: committed and up to date are done; a rollback leaves it unchanged, to run again. */
function recordOf(target: AtomicTargetResult, stopped: string | undefined): TargetRecord {
  const applied = target.results.filter((r) => r.status === 'success');
  const base = { id: target.id, wave: ATOMIC_WAVE, ...(target.heldMs !== undefined && { durationMs: target.heldMs }) };
  switch (target.status) {
    case 'committed':
      return {
        ...base,
        status: 'done',
        applied: applied.length,
        ...(applied.length > 0 && { to: Math.max(...applied.map((r) => r.version)) }),
      };
    case 'up-to-date':
      return { ...base, status: 'done', applied: 0 };
    case 'not-started':
      return { ...base, status: 'not-started', reason: stopped ?? 'not started' };
    case 'rolled-back':
      return { ...base, status: 'failed', applied: 0, error: rolledBack(stopped) };
    default:
      return { ...base, status: 'failed', applied: 0, ...(target.error && { error: errorRecord(target.error) }) };
  }
}

const rolledBack = (stopped: string | undefined): ErrorRecord => ({
  code: 'ATOMIC_ROLLED_BACK',
  message: `rolled back, unchanged: ${stopped ?? 'the run did not commit everywhere'}`,
});
