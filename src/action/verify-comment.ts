import type { Plan, Problem, SandboxReport, StepResult, VerifyReport } from '../index.js';
import { formatDuration, plural } from '../frontend/format.js';
import { errorsOf } from '../frontend/problems.js';
import { code, DATABASE, table, text } from './markdown.js';
import { problemsSection } from './render.js';
import { lintPart } from './lint-comment.js';
import { fitComment, type Place, type Section, type SqlItem } from './sql-blocks.js';
import { ACTION_WORDS } from '../frontend/words.js';

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
  /** Whose size limit it is rendered within (default `comment`); the job summary has more room. */
  readonly place?: Place;
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
 * The pull request comment of `verify`: the verdict first, with what
 * protected the runner; then the problems, errors before warnings; the lint;
 * the schema diff; one row per new migration; what happens on merge; each
 * migration's UP and DOWN in collapsible blocks. The scratch server is named
 * by its version only. Within GitHub's size limit, the problems keep their
 * room first, then the table, the lint, the schema diff and the SQL.
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
  const top = [`${input.marker}\n### ${headline}`];
  if (errors.length > 0)
    top.push(`> [!CAUTION]\n> ${text(errors[0]!.message)}${errors.length > 1 ? ` (and ${errors.length - 1} more below)` : ''}`);
  if (report.sandbox) top.push(sandboxLine(report.sandbox));
  const sql: SqlItem[] = report.migrations.flatMap((m) => [
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
  return fitComment({
    top,
    parts: [
      ...(input.problems.length > 0 ? [problemsSection([...problemErrors, ...warnings], 1)] : []),
      lintPart(input.findings, 3),
      schemaDiff(report, 4),
      stepsTable(report, 2),
      onMerge(input),
    ],
    sql,
    footer,
    ...(input.place && { place: input.place }),
  });
}

/**
 * What protected the runner while a stranger's migrations ran, in one line:
 * the rights they had, the server and how it was started, the deadline.
 */
export function sandboxLine(sandbox: SandboxReport): string {
  const rights = sandbox.superuser
    ? "**as a superuser**, able to run programs as the server's operating-system user,"
    : sandbox.server === 'given'
      ? 'without superuser rights, as its user,'
      : "without superuser rights, as the database's owner,";
  const server =
    sandbox.server === 'given'
      ? `on the server of ${ACTION_WORDS.scratchUrl}`
      : `on a private PostgreSQL server run as ${sandbox.osUser !== undefined ? `user ${code(sandbox.osUser)}` : "the job's user"} with ${sandbox.minimalEnvironment ? 'a minimal environment' : "the job's environment"}`;
  return `${sandbox.superuser ? '⚠️' : '🛡️'} Sandbox: the new migrations ran ${rights} ${server}; deadline ${formatDuration(sandbox.deadlineMs)}.`;
}

function stepsTable(report: VerifyReport, rank: number): Section {
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
  const head = ['', 'Migration', 'UP', 'DOWN', 'UP again', 'Time', 'Transaction'];
  return {
    rank,
    total: rows.length,
    render: (shown) =>
      table(head, ['c', 'l', 'l', 'l', 'l', 'r', 'l'], rows.slice(0, shown)) +
      (shown < rows.length ? `\n\n…and ${rows.length - shown} more migrations not listed here.` : ''),
    leftOut: (n) => `${plural(n, 'row')} of the migrations table`,
  };
}

const MAX_OBJECTS = 100;
const MAX_LINES = 30;

/** The schema from the base's to the branch's, one entry per object, in words; a line per entry. */
function schemaDiff(report: VerifyReport, rank: number): Section {
  const groups = report.schemaSummary;
  const lines = groups
    .slice(0, MAX_OBJECTS)
    .flatMap((g) => [
      `- **${text(g.headline)}**`,
      ...g.lines.slice(0, MAX_LINES).map((l) => `  - ${l.sign} ${text(l.text)}`),
      ...(g.lines.length > MAX_LINES ? [`  - …and ${g.lines.length - MAX_LINES} more`] : []),
    ]);
  const more = groups.length > MAX_OBJECTS ? [`- …and ${groups.length - MAX_OBJECTS} more objects`] : [];
  return {
    rank,
    total: lines.length,
    render: (shown) =>
      [
        `**Schema changes from ${code(report.base)}**`,
        '',
        ...lines.slice(0, shown),
        ...(shown < lines.length ? [`- …and ${plural(lines.length - shown, 'more line')} not shown here`] : []),
        ...more,
      ].join('\n'),
    leftOut: (n) => `${plural(n, 'line')} of the schema diff`,
  };
}

/** What merging does; long lists of files name the first few and the last. */
function onMerge(input: VerifyCommentInput): string {
  const { report, production } = input;
  const lines = [
    report.migrations.length === 0
      ? '**On merge** nothing new is applied.'
      : `**On merge**, \`migrate\` applies ${plural(report.migrations.length, 'migration')} in this order: ${files(report.migrations)}.`,
  ];
  if (production?.plan) {
    const pending = production.plan.pending;
    lines.push(
      pending.length === 0
        ? `On ${DATABASE}: nothing would be applied.`
        : `On ${DATABASE}: ${plural(pending.length, 'migration')} would be applied: ${files(pending)}.`,
    );
  }
  return lines.join(' ');
}

function files(migrations: readonly { readonly file: string }[]): string {
  const names = migrations.map((m) => code(m.file));
  return names.length <= 10
    ? names.join(', ')
    : `${names.slice(0, 5).join(', ')}, … (${names.length - 6} more), ${names[names.length - 1]}`;
}
