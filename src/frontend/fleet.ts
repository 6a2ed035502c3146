/**
 * What the front ends share about a fleet: the targets file read, the
 * JSON documents, and the progress lines.
 */
import type {
  FleetEvent,
  FleetRunReport,
  FleetStatus,
  FleetSummary,
  FleetWaitReport,
  TargetRecord,
  TargetStatusReport,
} from '../core/fleet.js';
import type { Problem } from '../core/problem.js';
import type { Paint } from './progress.js';

export { parseShard, shardMatrix } from '../core/shard.js';
export { readTargetsFile } from '../source/targets-file.js';

const problemJson = (p: Problem) => ({
  code: p.code,
  severity: p.severity,
  message: p.message,
  ...(p.file !== undefined && { file: p.file }),
  ...(p.line !== undefined && { line: p.line }),
  ...(p.hint !== undefined && { hint: p.hint }),
});

export const recordJson = (t: TargetRecord) => ({
  id: t.id,
  wave: t.wave,
  status: t.status,
  ...(t.from !== undefined && { from: t.from }),
  ...(t.to !== undefined && { to: t.to }),
  ...(t.applied !== undefined && { applied: t.applied }),
  ...(t.lockWaited !== undefined && { lock_waited: t.lockWaited }),
  ...(t.retries !== undefined && { lock_retries: t.retries }),
  ...(t.durationMs !== undefined && { duration_ms: t.durationMs }),
  ...(t.error !== undefined && { error: t.error }),
  ...(t.reason !== undefined && { reason: t.reason }),
});

export function summaryJson(s: FleetSummary) {
  return {
    ok: s.ok,
    run_ids: s.runIds,
    counts: {
      done: s.counts.done,
      failed: s.counts.failed,
      not_started: s.counts['not-started'],
      interrupted: s.counts.running,
      total: s.counts.total,
    },
    versions: s.versions,
    stopped: s.stopped,
    waves: s.waves,
    targets: s.targets.map(recordJson),
  };
}

export function runJson(r: FleetRunReport) {
  return {
    ...summaryJson(r),
    command: r.command,
    ...(r.runId !== undefined && { run_id: r.runId }),
    ...(r.ledgerPath !== undefined && { ledger: r.ledgerPath }),
    ...(r.lockWindowMs !== undefined && { lock_window_ms: r.lockWindowMs }),
    problems: r.problems.map(problemJson),
  };
}

const targetStatusJson = (t: TargetStatusReport) => ({
  id: t.id,
  labels: t.labels,
  ...(t.currentVersion !== undefined && { current_version: t.currentVersion }),
  pending: t.pending,
  problems: t.problems.map(problemJson),
  ...(t.error !== undefined && { error: t.error }),
});

export function fleetStatusJson(s: FleetStatus) {
  return {
    ok: s.ok,
    histogram: s.histogram,
    pending_targets: s.pendingTargets,
    failed_targets: s.failedTargets,
    problems: s.problems.map(problemJson),
    targets: s.targets.map(targetStatusJson),
  };
}

export function fleetWaitJson(w: FleetWaitReport) {
  return {
    reached: w.reached,
    targets: w.targets,
    waited_ms: w.waitedMs,
    behind: w.behind.map((b) => ({
      id: b.id,
      current_version: b.currentVersion ?? null,
      unreadable: b.error !== undefined,
      ...(b.error && { error: { code: b.error.code, message: b.error.message } }),
    })),
    problems: w.problems.map(problemJson),
  };
}

const version = (v: number | null | undefined): string => (v === undefined ? '?' : v === null ? 'none' : String(v));

/** One line per event worth a line: a wave starting, a target finished (with the counts), a bake, a health check, the stop. */
export function fleetLine(event: FleetEvent, paint: Paint): string | undefined {
  switch (event.type) {
    case 'wave-start':
      return `wave ${event.wave}: ${event.targets} target${event.targets === 1 ? '' : 's'}`;
    case 'target-start':
      return undefined;
    case 'target-done': {
      const { record: t, counts: c } = event;
      const tally = paint('muted', `[${c.done} done, ${c.failed} failed, ${c.running} running of ${c.total}]`);
      if (t.status === 'done') {
        const extra = [
          `${t.applied ?? 0} applied`,
          `${t.durationMs ?? 0} ms`,
          ...(t.lockWaited ? ['waited for the lock'] : []),
          ...(t.retries ? [`${t.retries} lock retries`] : []),
        ];
        return `${paint('ok', '✓')} ${t.id} ${version(t.from)} → ${version(t.to)} (${extra.join(', ')}) ${tally}`;
      }
      const at = t.error?.file ? `${t.error.file}${t.error.line ? `:${t.error.line}` : ''}: ` : '';
      return `${paint('error', '✗')} ${t.id}: ${at}${t.error?.message ?? 'failed'} ${tally}`;
    }
    case 'bake':
      return `wave ${event.wave} done; baking ${event.seconds} s before the next`;
    case 'health':
      return `${paint(event.ok ? 'ok' : 'error', event.ok ? '✓' : '✗')} health after wave ${event.wave}: ${event.detail}`;
    case 'stopped':
      return `${paint('error', 'stopped')}: ${event.reason}`;
  }
}
