import { errorsOf, type Plan, type Problem, type StepResult, type VerifyReport } from '../index.js';
import { code, DATABASE, plural, table, text } from './markdown.js';
import { problemsList } from './render.js';
import { lintSection } from './lint-comment.js';
import { fitComment, type SqlItem } from './sql-blocks.js';

export interface VerifyCommentInput {
  readonly marker: string;
  readonly dir: string;
  readonly table: string;
  readonly report: VerifyReport;
  /** Every problem to show: the report's, and what the production view found. */
  readonly problems: readonly Problem[];
  /** The pull request's head commit. */
  readonly sha?: string;
  /** With a connection: what merging would apply there. */
  readonly production?: { readonly plan?: Plan };
  /** The lint's findings, redacted. */
  readonly findings: readonly Problem[];
}

const MARK: Record<StepResult | 'none', string> = { ok: '✅', failed: '❌', differs: '❌', 'not-run': '⏭️', none: '—' };
const WORD: Record<StepResult | 'none', string> = {
  ok: '',
  failed: ' fails',
  differs: ' differs',
  'not-run': ' not run',
  none: ' no DOWN',
};

/**
 * The pull request comment of `verify`: the verdict first; then the
 * problems, errors before warnings; the schema diff; one row per new
 * migration; each migration's UP and DOWN in collapsible blocks; what
 * happens on merge. The scratch server is named by its version only.
 */
export function renderVerifyComment(input: VerifyCommentInput): string {
  const { report } = input;
  const problemErrors = errorsOf(input.problems);
  const warnings = input.problems.filter((p) => p.severity === 'warning');
  const lintErrors = errorsOf(input.findings);
  const errors = [...problemErrors, ...lintErrors];
  const base = code(report.base);
  const count = plural(report.migrations.length, 'new migration');
  const headline =
    errors.length > 0
      ? `❌ pgshift: ${plural(errors.length, 'problem')} ${errors.length === 1 ? 'fails' : 'fail'} the check`
      : report.migrations.length === 0
        ? `✅ pgshift: no new migrations; the history matches ${base}`
        : `${warnings.length > 0 || input.findings.length > 0 ? '⚠️' : '✅'} pgshift: ${count} apply on ${base}'s schema, roll back exactly and apply again`;
  const head: string[] = [input.marker, `### ${headline}`, ''];
  if (errors.length > 0)
    head.push('> [!CAUTION]', `> ${text(errors[0]!.message)}${errors.length > 1 ? ` (and ${errors.length - 1} more below)` : ''}`, '');
  if (input.problems.length > 0) head.push(problemsList([...problemErrors, ...warnings]), '');
  if (input.findings.length > 0) head.push(lintSection(input.findings), '');
  if (report.schemaSummary.length > 0) head.push(schemaDiff(report), '');
  if (report.migrations.length > 0) head.push(stepsTable(report), '');
  head.push(onMerge(input), '');
  const items: SqlItem[] = report.migrations.flatMap((m) => [
    { summary: `${code(m.file)} · UP`, sql: m.upSql, file: m.file },
    ...(m.downSql !== undefined ? [{ summary: `${code(m.file)} · DOWN`, sql: m.downSql, file: m.file }] : []),
  ]);
  const server = report.server
    ? `PostgreSQL ${text(report.server.version)} ${report.server.kind === 'private' ? 'scratch server' : 'scratch server given'}`
    : 'no server needed';
  const footer = [
    '---',
    `<sub>pgshift verify · ${server} · base ${base} · directory ${code(input.dir)}${input.sha ? ` · commit ${code(input.sha.slice(0, 7))}` : ''} · updated on every push</sub>`,
  ].join('\n');
  return fitComment(head, items, footer);
}

function stepsTable(report: VerifyReport): string {
  const rows = report.migrations.map((m) => {
    const good = m.up === 'ok' && ['ok', 'none'].includes(m.down) && ['ok', 'none'].includes(m.reup);
    return [
      good ? '✅' : m.up === 'not-run' ? '⏭️' : '❌',
      code(m.file),
      `${MARK[m.up]}${WORD[m.up]}`,
      `${MARK[m.down]}${m.down === 'ok' ? ' restores' : WORD[m.down]}`,
      `${MARK[m.reup]}${m.reup === 'ok' ? ' matches' : m.reup === 'none' ? '' : WORD[m.reup]}`,
      m.upMs === undefined ? '' : `${m.upMs} ms`,
      m.transaction === 'transaction' ? 'one transaction' : 'none (statement by statement)',
    ];
  });
  return table(['', 'Migration', 'UP', 'DOWN', 'UP again', 'Time', 'Transaction'], ['c', 'l', 'l', 'l', 'l', 'r', 'l'], rows);
}

/** The schema from the base's to the branch's, one entry per object, in words. */
function schemaDiff(report: VerifyReport): string {
  const lines = report.schemaSummary
    .slice(0, 100)
    .flatMap((g) => [`- **${text(g.headline)}**`, ...g.lines.slice(0, 30).map((l) => `  - ${l.sign} ${text(l.text)}`)]);
  const more = report.schemaSummary.length > 100 ? [`- …and ${report.schemaSummary.length - 100} more objects`] : [];
  return [`**Schema changes from ${code(report.base)}**`, '', ...lines, ...more].join('\n');
}

function onMerge(input: VerifyCommentInput): string {
  const { report, production } = input;
  const files = report.migrations.map((m) => code(m.file)).join(', ');
  const lines = [
    report.migrations.length === 0
      ? '**On merge** nothing new is applied.'
      : `**On merge**, \`migrate\` applies ${plural(report.migrations.length, 'migration')} in this order: ${files}.`,
  ];
  if (production?.plan) {
    const pending = production.plan.pending;
    const db = DATABASE;
    lines.push(
      pending.length === 0
        ? `On ${db}: nothing would be applied.`
        : `On ${db}: ${plural(pending.length, 'migration')} would be applied: ${pending.map((m) => code(m.file)).join(', ')}.`,
    );
  }
  return lines.join(' ');
}
