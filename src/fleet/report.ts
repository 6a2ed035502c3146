/**
 * Ledgers merged into one summary: the jobs of a matrix (or the runs of a
 * resumed rollout) each wrote theirs; one report says where every target is.
 */
import type { Ledger, TargetRecord, TargetStatus } from './ledger.js';

export interface FleetSummary {
  readonly runIds: readonly string[];
  readonly counts: Readonly<Record<TargetStatus, number>> & { readonly total: number };
  /** Targets by their version after the run: `{ "3": 48, "none": 2 }`. */
  readonly versions: Readonly<Record<string, number>>;
  /** One record per target; where ledgers disagree, the latest ledger's. */
  readonly targets: readonly TargetRecord[];
  readonly stopped: readonly string[];
  readonly ok: boolean;
}

/** Merges ledgers; a target in several keeps the record of the ledger updated last. */
export function mergeLedgers(ledgers: readonly Ledger[]): FleetSummary {
  const byId = new Map<string, TargetRecord>();
  for (const ledger of [...ledgers].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))) {
    for (const record of ledger.targets) byId.set(record.id, record);
  }
  const targets = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const counts = { 'not-started': 0, running: 0, done: 0, failed: 0, total: targets.length };
  const versions: Record<string, number> = {};
  for (const t of targets) {
    counts[t.status]++;
    if (t.to !== undefined) {
      const key = t.to === null ? 'none' : String(t.to);
      versions[key] = (versions[key] ?? 0) + 1;
    }
  }
  return {
    runIds: [...new Set(ledgers.map((l) => l.runId))],
    counts,
    versions,
    targets,
    stopped: ledgers.flatMap((l) => (l.stopped === undefined ? [] : [`${l.runId}${l.shard ? ` (shard ${l.shard})` : ''}: ${l.stopped}`])),
    ok: counts.done === counts.total,
  };
}

const where = (t: TargetRecord): string =>
  t.error ? `${t.error.file ? `${t.error.file}${t.error.line ? `:${t.error.line}` : ''}: ` : ''}${t.error.message}` : (t.reason ?? '');
const version = (v: number | null | undefined): string => (v === undefined ? '?' : v === null ? 'none' : String(v));

/** `48 done, 1 failed, 1 not started of 50; versions: 3 ×48, 2 ×2`. */
export function summaryLine(s: FleetSummary): string {
  const parts = [`${s.counts.done} done`, `${s.counts.failed} failed`, `${s.counts['not-started']} not started`];
  if (s.counts.running > 0) parts.push(`${s.counts.running} interrupted`);
  const versions = Object.entries(s.versions)
    .sort(([, a], [, b]) => b - a)
    .map(([v, n]) => `${n} at ${v}`)
    .join(', ');
  return `${parts.join(', ')} of ${s.counts.total} targets${versions ? `; ${versions}` : ''}`;
}

/** The summary as text: the line, then each target that is not done. */
export function summaryText(s: FleetSummary): string {
  const lines = [`fleet: ${summaryLine(s)}`, ...s.stopped.map((r) => `stopped: ${r}`)];
  for (const t of s.targets.filter((t) => t.status !== 'done')) lines.push(`  ${t.status.padEnd(11)} ${t.id}  ${where(t)}`);
  return lines.join('\n');
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));

/** The summary as GitHub markdown, for a job summary: the line, then a table of the targets that are not done, then the done ones folded. */
export function summaryMarkdown(s: FleetSummary): string {
  const lines = [`### pgshift fleet: ${s.ok ? 'every target done' : 'not every target done'}`, '', summaryLine(s), ''];
  for (const r of s.stopped) lines.push(`> stopped: ${cell(r)}`, '');
  const row = (t: TargetRecord) =>
    `| ${cell(t.id)} | ${cell(t.wave)} | ${t.status} | ${version(t.from)} → ${version(t.to)} | ${t.durationMs ?? ''} | ${cell(where(t))} |`;
  const header = ['| target | wave | status | version | ms | error or reason |', '|---|---|---|---|---|---|'];
  const open = s.targets.filter((t) => t.status !== 'done');
  if (open.length > 0) lines.push(...header, ...open.map(row), '');
  const done = s.targets.filter((t) => t.status === 'done');
  if (done.length > 0) lines.push(`<details><summary>${done.length} done</summary>`, '', ...header, ...done.map(row), '', '</details>');
  return lines.join('\n');
}
