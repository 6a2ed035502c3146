import { hintFor, type PgshiftError, type Plan, type Problem, type Status, type ValidationReport } from '../index.js';
import { formatDuration, formatLocation, formatProblem } from '../frontend/format.js';
import { findingKinds, isAccepted, lintCount } from '../frontend/problems.js';
import type { Paint } from '../frontend/progress.js';
import { CLI_WORDS } from '../frontend/words.js';

export interface Style {
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

export function makeStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** The engine's tones in the terminal's colours. */
export const paintWith =
  (s: Style): Paint =>
  (tone, text) =>
    tone === 'ok' ? s.green(text) : tone === 'error' ? s.red(text) : tone === 'warning' ? s.yellow(text) : s.dim(text);

const label = (m: { version: number; name: string }) => `${m.version} ${m.name}`;
const hint = (p: Problem) => hintFor(p, CLI_WORDS);

/** `  error: file:line: message` and the hint below; the place is left out when the message names the file already. */
export function problemLine(p: Problem, s: Style): string {
  const mark = p.severity === 'error' ? s.red('error') : s.yellow('warning');
  const text = hint(p);
  const where = p.file !== undefined && !p.message.includes(p.file) ? formatProblem(p) : p.message;
  return `  ${mark}: ${where}${text ? `\n    ${s.dim(`hint: ${text}`)}` : ''}`;
}

export function formatError(error: PgshiftError, s: Style): string {
  const main = hint(error.problem);
  const lines = [`${s.red('error')}: ${error.format()}`];
  if (error.problems.length > 1) {
    for (const p of error.problems) {
      const own = hint(p);
      lines.push(`  - ${formatProblem(p)}${own && own !== main ? `\n    hint: ${own}` : ''}`);
    }
  }
  if (error.problem.server?.detail) lines.push(`  detail: ${error.problem.server.detail}`);
  if (error.problem.server?.where) lines.push(`  where: ${error.problem.server.where}`);
  if (main) lines.push(`  ${s.dim(`hint: ${main}`)}`);
  return lines.join('\n');
}

export function formatStatus(status: Status, where: string, s: Style): string {
  const out = [`${s.bold('pgshift status')}  ${status.table} on ${where}`];
  if (!status.tableExists) out.push(s.dim(`  (${status.table} does not exist yet; migrate creates it)`));
  const width = Math.max(0, ...[...status.applied, ...status.pending].map((m) => label(m).length));
  out.push('', `Applied: ${status.appliedCount}`);
  for (const a of status.applied) {
    const state = a.fileState === 'ok' ? '' : a.fileState === 'unknown' ? s.dim('  (no checksum)') : s.red(`  (file ${a.fileState})`);
    // In UTC, said so: a time without its zone reads as local and is hours off.
    const when = `${a.appliedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC${a.durationMs == null ? '' : `  ${formatDuration(a.durationMs)}`}`;
    const mark = a.fileState === 'changed' || a.fileState === 'missing' ? s.red('✗') : s.green('✓');
    out.push(`  ${mark} ${label(a).padEnd(width)}  ${s.dim(when)}${state}`);
  }
  out.push('', `Pending: ${status.pendingCount}`);
  for (const p of status.pending) {
    const notes = [p.transaction === 'none' ? 'no transaction' : '', p.outOfOrder ? 'out of order' : ''].filter(Boolean).join(', ');
    out.push(`  ${s.yellow('•')} ${label(p).padEnd(width)}${notes ? s.dim(`  (${notes})`) : ''}`.trimEnd());
  }
  if (status.problems.length > 0) out.push('', 'Problems:', ...status.problems.map((p) => problemLine(p, s)));
  return out.join('\n');
}

export function formatPlan(plan: Plan, where: string, s: Style): string {
  const out = [`${s.bold('pgshift plan')}  ${plan.pending.length} pending on ${where} (${plan.table})`];
  if (plan.problems.length > 0) out.push('', 'Problems:', ...plan.problems.map((p) => problemLine(p, s)));
  for (const p of plan.pending) {
    const mode = p.transaction === 'transaction' ? 'in one transaction' : 'without a transaction, statement by statement';
    out.push(
      '',
      s.bold(`-- ${p.file}  (${p.statements} statement${p.statements === 1 ? '' : 's'}, ${mode}${p.hasDown ? ', has DOWN' : ', no DOWN'})`),
      p.sql,
    );
  }
  if (plan.findings.length > 0) {
    out.push('', s.bold(`Lint (${lintCount(plan.findings)}):`));
    for (const f of sortedFindings(plan.findings)) out.push('', findingText(f, s));
  }
  if (!plan.ok) out.push('', s.red('migrate would refuse to run until the problems above are fixed.'));
  else if (plan.pending.length === 0) out.push('', 'Nothing to apply: the database is up to date.');
  return out.join('\n');
}

export function formatValidation(report: ValidationReport, s: Style): string {
  const scope = report.checkedDatabase ? 'files and history' : 'files only (no database given)';
  if (report.ok && report.problems.length === 0) return `${s.green('✓')} ${report.files} migration files valid; checked ${scope}`;
  const head = report.ok ? `${s.green('✓')} valid, with warnings; checked ${scope}` : `${s.red('✗')} problems found; checked ${scope}`;
  return [head, ...report.problems.map((p) => problemLine(p, s))].join('\n');
}

/**
 * One finding: `file:line:col  error  rule`, what it does, what was seen on
 * the scratch server and the table's size, what to do, and the safe SQL
 * indented. An acknowledged one is one line with its reason.
 */
export function findingText(p: Problem, s: Style): string {
  const l = p.lint;
  if (!l) return problemLine(p, s);
  const where = formatLocation(p);
  if (isAccepted(p)) return `  ${s.dim('accepted')} ${where}  ${l.rule}: ${s.dim(l.acknowledged!)}`;
  const mark = p.severity === 'error' ? s.red('error') : s.yellow('warning');
  const out = [`  ${mark} ${where}  ${s.bold(l.rule)}`, `    ${p.message}`];
  if (l.observed) out.push(`    ${s.dim(`observed: ${l.observed}`)}`);
  if (l.measured) out.push(`    ${s.dim(`measured: ${l.measured}`)}`);
  if (l.size) out.push(`    ${s.dim(`size: ${l.size}`)}`);
  const hint = hintFor(p, CLI_WORDS);
  if (hint) out.push(`    ${hint}`);
  if (l.fix)
    out.push(
      ...l.fix
        .trimEnd()
        .split('\n')
        .map((line) => (line === '' ? '' : `      ${s.dim(line)}`)),
    );
  return out.join('\n');
}

/** Errors first, then warnings, then the accepted ones. */
export function sortedFindings(findings: readonly Problem[]): Problem[] {
  const { errors, warnings, accepted } = findingKinds(findings);
  return [...errors, ...warnings, ...accepted];
}
