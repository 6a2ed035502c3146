import type { Plan, Problem, SandboxReport, StepResult, VerifiedMigration, VerifyReport } from '../index.js';
import { formatDuration, plural } from '../frontend/format.js';
import { errorsOf, findingKinds } from '../frontend/problems.js';
import type { LintMode } from '../frontend/settings.js';
import { code, DATABASE, link, table, text } from './markdown.js';
import { countsLine, problemsSection, schemaDiffSection } from './render.js';
import { lintPart } from './lint-comment.js';
import { rehearsalSection } from './rehearsal-section.js';
import { fitComment, type Place, type Section, type SqlItem } from './sql-blocks.js';
import { ACTION_WORDS } from '../frontend/words.js';
import { fleetImpactLine } from '../frontend/fleet-impact.js';

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
  /** How the lint ran: `off` is said as such, not as "no findings". */
  readonly lintMode?: LintMode;
  /** The page of the workflow run that wrote the report, linked from it. */
  readonly runUrl?: string;
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
 * The pull request comment of `verify`: the verdict first, with the
 * problems and lint findings counted as the sections below count them and
 * what protected the runner; then the problems, errors before warnings; the
 * lint; the schema diff; one row per new migration, marked by its own steps,
 * problems and findings; what happens on merge; each migration's UP and
 * DOWN in collapsible blocks. The scratch server is named by its version
 * only. Within GitHub's size limit, the problems keep their room first,
 * then the table, the lint, the schema diff and the SQL.
 */
export function renderVerifyComment(input: VerifyCommentInput): string {
  const { report } = input;
  const problemErrors = errorsOf(input.problems);
  const warnings = input.problems.filter((p) => p.severity === 'warning');
  const lint = findingKinds(input.findings);
  const errors = [...problemErrors, ...lint.errors];
  const base = code(report.base);
  const headline =
    errors.length > 0
      ? `❌ pgshift: ${plural(errors.length, 'error')} ${errors.length === 1 ? 'fails' : 'fail'} the check`
      : report.migrations.length === 0
        ? `✅ pgshift: no new migrations; the history matches ${base}`
        : `${warnings.length + lint.warnings.length > 0 ? '⚠️' : '✅'} pgshift: ${proven(report.migrations, base)}`;
  const top = [`${input.marker}\n### ${headline}`, countsLine(input.problems, input.findings, input.lintMode)];
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
    `<sub>pgshift verify · ${server} · base ${base} · directory ${code(input.dir)}${input.sha ? ` · commit ${code(input.sha.slice(0, 7))}` : ''}${input.runUrl ? ` · ${link('workflow run', input.runUrl)}` : ''} · updated on every push</sub>`,
  ].join('\n');
  return fitComment({
    top,
    parts: [
      ...(input.problems.length > 0 ? [problemsSection([...problemErrors, ...warnings], 1)] : []),
      lintPart(input.findings, 3),
      schemaDiffSection(report.schemaSummary, report.base, 4),
      ...(report.rehearsal && report.rehearsal.migrations.length > 0 ? [rehearsalSection(report.rehearsal, 5)] : []),
      stepsTable(input, 2),
      onMerge(input),
    ],
    sql,
    footer,
    ...(input.place && { place: input.place }),
    ...(input.runUrl && { runUrl: input.runUrl }),
  });
}

/**
 * What the proof showed, in one clause with its verbs agreeing:
 * `1 new migration applies on main's schema, rolls back exactly and applies
 * again`; a migration without a DOWN part is not said to roll back.
 */
function proven(migrations: readonly VerifiedMigration[], base: string): string {
  const n = migrations.length;
  const withDown = migrations.filter((m) => m.hasDown).length;
  const verbs = (count: number) => (count === 1 ? (['applies', 'rolls'] as const) : (['apply', 'roll'] as const));
  const [apply, roll] = verbs(n);
  const applied = `${plural(n, 'new migration')} ${apply} on ${base}'s schema`;
  if (withDown === n) return `${applied}, ${roll} back exactly and ${apply} again`;
  if (withDown === 0) return `${applied}; ${n === 1 ? 'it has' : 'they have'} no DOWN part to roll back with`;
  const [applyDown, rollDown] = verbs(withDown);
  return `${applied}; the ${withDown} with a DOWN part ${rollDown} back exactly and ${applyDown} again`;
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

/** `lint: 1 error, 2 accepted`: the kinds the sections count, those there are only; empty for none. */
function counted(what: string, ...kinds: readonly (readonly [number, string, string?])[]): string {
  const said = kinds.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  return said.length === 0 ? '' : `${what}: ${said.join(', ')}`;
}

/** A migration's own problems and lint findings: those on its file (or, without a file, its version). */
function ownOf(m: VerifiedMigration, list: readonly Problem[]): Problem[] {
  return list.filter((p) => p.file === m.file || (p.file === undefined && p.version === m.version));
}

/**
 * One row per new migration, marked by its own steps, problems and
 * findings: ❌ for a failed step or an error (a lint error fails the check
 * too), ⏭️ not run, ⚠️ warnings only, ✅ none; the last cell counts them as
 * the sections do.
 */
function stepsTable(input: VerifyCommentInput, rank: number): Section {
  const rows = input.report.migrations.map((m) => {
    const problems = ownOf(m, input.problems);
    const findings = ownOf(m, input.findings);
    const lint = findingKinds(findings);
    const failed = [m.up, m.down, m.reup].some((s) => s === 'failed' || s === 'differs');
    const mark =
      failed || errorsOf(problems).length + lint.errors.length > 0
        ? '❌'
        : m.up === 'not-run'
          ? '⏭️'
          : problems.length + lint.warnings.length > 0
            ? '⚠️'
            : '✅';
    const found = [
      counted('problems', [errorsOf(problems).length, 'error'], [problems.length - errorsOf(problems).length, 'warning']),
      counted('lint', [lint.errors.length, 'error'], [lint.warnings.length, 'warning'], [lint.accepted.length, 'accepted', 'accepted']),
    ].filter((cell) => cell !== '');
    return [
      mark,
      code(m.file),
      `${MARK[m.up]}${WORD[m.up]}`,
      `${MARK[m.down]}${m.down === 'ok' ? ' restores' : WORD[m.down]}`,
      `${MARK[m.reup]}${m.reup === 'ok' ? ' matches' : m.reup === 'none' ? '' : WORD[m.reup]}`,
      m.upMs === undefined ? '' : `${m.upMs} ms`,
      m.transaction === 'transaction' ? 'one transaction' : 'none (statement by statement)',
      found.join(' · '),
    ];
  });
  const head = ['', 'Migration', 'UP', 'DOWN', 'UP again', 'Time', 'Transaction', 'Problems and lint'];
  return {
    rank,
    total: rows.length,
    render: (shown) =>
      table(head, ['c', 'l', 'l', 'l', 'l', 'r', 'l', 'l'], rows.slice(0, shown)) +
      (shown < rows.length ? `\n\n…and ${rows.length - shown} more migrations not listed here.` : ''),
    leftOut: (n) => `${plural(n, 'row')} of the migrations table`,
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
  if (report.fleet) lines.push(`\n\n**Fleet:** ${fleetImpactLine(report.fleet, { name: code, text })}.`);
  return lines.join(' ');
}

function files(migrations: readonly { readonly file: string }[]): string {
  const names = migrations.map((m) => code(m.file));
  return names.length <= 10
    ? names.join(', ')
    : `${names.slice(0, 5).join(', ')}, … (${names.length - 6} more), ${names[names.length - 1]}`;
}
