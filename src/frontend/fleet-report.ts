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
