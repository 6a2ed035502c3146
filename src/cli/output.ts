import type { MigrationOutcome, PgshiftError, Plan, Problem, Status, ValidationReport } from '../index.js';

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

const label = (m: { version: number; name: string }) => `${m.version} ${m.name}`;
const ms = (n: number | null | undefined) => (n == null ? '' : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(2)} s`);

export function formatOutcome(o: MigrationOutcome, direction: 'up' | 'down', s: Style): string {
  const verb = direction === 'up' ? 'applied' : 'rolled back';
  if (o.status === 'success') return `  ${s.green('✓')} ${o.file}  ${s.dim(`${verb} in ${ms(o.duration_ms ?? 0)}`)}`;
  if (o.status === 'error') return `  ${s.red('✗')} ${o.file}  ${s.red('failed')}`;
  return `  ${s.dim('·')} ${o.file}  ${s.dim('not run')}`;
}

export function formatProblem(p: Problem, s: Style): string {
  const mark = p.severity === 'error' ? s.red('error') : s.yellow('warning');
  const hint = p.hint ? `\n    ${s.dim(`hint: ${p.hint}`)}` : '';
  return `  ${mark}: ${p.message}${hint}`;
}

export function formatError(error: PgshiftError, s: Style): string {
  const lines = [`${s.red('error')}: ${error.format()}`];
  for (const p of error.problems) lines.push(`  - ${p.format()}${p.hint && p.hint !== error.hint ? `\n    hint: ${p.hint}` : ''}`);
  if (error.server?.detail) lines.push(`  detail: ${error.server.detail}`);
  if (error.server?.where) lines.push(`  where: ${error.server.where}`);
  if (error.hint) lines.push(`  ${s.dim(`hint: ${error.hint}`)}`);
  return lines.join('\n');
}

export function formatStatus(status: Status, where: string, s: Style): string {
  const out = [`${s.bold('pgshift status')}  ${status.table} on ${where}`];
  if (!status.table_exists) out.push(s.dim(`  (${status.table} does not exist yet; migrate creates it)`));
  const width = Math.max(0, ...[...status.applied, ...status.pending].map((m) => label(m).length));
  out.push('', `Applied: ${status.applied_count}`);
  for (const a of status.applied) {
    const state = a.file_state === 'ok' ? '' : a.file_state === 'unknown' ? s.dim('  (no checksum)') : s.red(`  (file ${a.file_state})`);
    const when = `${a.applied_at.replace('T', ' ').slice(0, 19)}${a.duration_ms == null ? '' : `  ${ms(a.duration_ms)}`}`;
    out.push(`  ${s.green('✓')} ${label(a).padEnd(width)}  ${s.dim(when)}${state}`);
  }
  out.push('', `Pending: ${status.pending_count}`);
  for (const p of status.pending) {
    const notes = [p.transaction === 'none' ? 'no transaction' : '', p.out_of_order ? 'out of order' : ''].filter(Boolean).join(', ');
    out.push(`  ${s.yellow('•')} ${label(p).padEnd(width)}${notes ? s.dim(`  (${notes})`) : ''}`.trimEnd());
  }
  if (status.problems.length > 0) out.push('', 'Problems:', ...status.problems.map((p) => formatProblem(p, s)));
  return out.join('\n');
}

export function formatPlan(plan: Plan, where: string, s: Style): string {
  const out = [`${s.bold('pgshift plan')}  ${plan.pending.length} pending on ${where} (${plan.table})`];
  if (plan.problems.length > 0) out.push('', 'Problems:', ...plan.problems.map((p) => formatProblem(p, s)));
  for (const p of plan.pending) {
    const mode = p.transaction === 'transaction' ? 'in one transaction' : 'without a transaction, statement by statement';
    out.push(
      '',
      s.bold(
        `-- ${p.file}  (${p.statements} statement${p.statements === 1 ? '' : 's'}, ${mode}${p.has_down ? ', has DOWN' : ', no DOWN'})`,
      ),
      p.sql,
    );
  }
  if (plan.pending.length === 0) out.push('', 'Nothing to apply: the database is up to date.');
  else if (!plan.ok) out.push('', s.red('migrate would refuse to run until the problems above are fixed.'));
  return out.join('\n');
}

export function formatValidation(report: ValidationReport, s: Style): string {
  const scope = report.checked_database ? 'files and history' : 'files only (no database given)';
  if (report.ok && report.problems.length === 0) return `${s.green('✓')} ${report.files} migration files valid; checked ${scope}`;
  const head = report.ok ? `${s.green('✓')} valid, with warnings; checked ${scope}` : `${s.red('✗')} problems found; checked ${scope}`;
  return [head, ...report.problems.map((p) => formatProblem(p, s))].join('\n');
}
