/** A fleet summary (merged ledgers) as text and as GitHub markdown. */
import type { FleetSummary, TargetRecord } from '../core/fleet.js';

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

/**
 * The summary as GitHub markdown, for a job summary: the line, then a table
 * per wave (in the order the waves ran) of its targets that are not done,
 * the done ones folded under it. A job summary holds at most 1 MiB: past
 * 500 rows a wave's done targets are counted, not listed.
 */
export function summaryMarkdown(s: FleetSummary): string {
  const lines = [`### pgshift fleet: ${s.ok ? 'every target done' : 'not every target done'}`, '', summaryLine(s), ''];
  for (const r of s.stopped) lines.push(`> stopped: ${cell(r)}`, '');
  const row = (t: TargetRecord) =>
    `| ${cell(t.id)} | ${t.status} | ${version(t.from)} → ${version(t.to)} | ${t.durationMs ?? ''} | ${cell(where(t))} |`;
  const header = ['| target | status | version | ms | error or reason |', '|---|---|---|---|---|'];
  for (const wave of s.waves) {
    const inWave = s.targets.filter((t) => t.wave === wave);
    const open = inWave.filter((t) => t.status !== 'done');
    const done = inWave.filter((t) => t.status === 'done');
    if (inWave.length === 0) continue;
    lines.push(`#### wave ${cell(wave)}: ${done.length} of ${inWave.length} done`, '');
    if (open.length > 0) lines.push(...header, ...open.slice(0, MAX_ROWS).map(row), '');
    if (open.length > MAX_ROWS) lines.push(`…and ${open.length - MAX_ROWS} more not done`, '');
    if (done.length > 0 && done.length <= MAX_ROWS)
      lines.push(`<details><summary>${done.length} done</summary>`, '', ...header, ...done.map(row), '', '</details>', '');
  }
  return lines.join('\n');
}

/** Rows a wave's table lists at most. */
const MAX_ROWS = 500;
