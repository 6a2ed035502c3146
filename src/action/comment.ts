import { posix } from 'node:path';
import type { Plan, Problem } from '../index.js';
import { plural } from '../frontend/format.js';
import type { LintMode } from '../frontend/settings.js';
import { code, DATABASE, link, text } from './markdown.js';
import { countsLine, MAX_PENDING_ROWS, pendingSection, problemsSection } from './render.js';
import { COMMENT_LIMIT, fitComment, type Place } from './sql-blocks.js';
import { lintPart } from './lint-comment.js';

export { COMMENT_LIMIT };

/**
 * The hidden first line that finds this action's comment again: one comment
 * per migrations directory and tracking table, so two pgshift steps in one
 * workflow (two databases, say) each keep their own.
 */
export function commentMarker(dir: string, table: string): string {
  const normalized = posix.normalize(dir.replace(/\\/g, '/')).replace(/(.)\/+$/, '$1');
  return `<!-- pgshift:plan dir=${encodeURIComponent(normalized)} table=${encodeURIComponent(table)} -->`;
}

export interface PlanCommentInput {
  readonly marker: string;
  readonly dir: string;
  readonly table: string;
  /** Absent when no plan could be made (unreadable files, no connection). */
  readonly plan?: Plan;
  readonly problems: readonly Problem[];
  /** Why the check fails, when it does. */
  readonly failure?: string;
  /** The pull request's head commit the plan was made for. */
  readonly sha?: string;
  /** The lint's findings on the pending migrations. */
  readonly findings?: readonly Problem[];
  /** How the lint ran: `off` is said as such, not as "no findings". */
  readonly lintMode?: LintMode;
  /** The page of the workflow run that wrote the report, linked from it. */
  readonly runUrl?: string;
  /** Whose size limit it is rendered within (default `comment`); the job summary has more room. */
  readonly place?: Place;
}

/**
 * The PR comment: problems first, then the lint, what would run, and each
 * migration's SQL, within GitHub's size limit (the problems keep their room
 * first, then the table, the lint and the SQL).
 */
export function renderPlanComment(input: PlanCommentInput): string {
  const { plan } = input;
  const pending = plan?.pending ?? [];
  const db = DATABASE;
  const failed = input.failure !== undefined;
  const warned = input.problems.length > 0;
  const icon = failed ? '❌' : warned ? '⚠️' : pending.length > 0 ? '📋' : '✅';
  const headline = !plan
    ? `the plan could not be made for ${db}`
    : pending.length === 0
      ? `nothing pending on ${db}; the database is up to date with this branch`
      : `${plural(pending.length, 'migration')} pending on ${db}`;

  const top = [`${input.marker}\n### ${icon} pgshift plan: ${headline}`];
  // Without a plan the lint did not run either: its count would say what was not checked.
  if (plan) top.push(countsLine(input.problems, input.findings ?? [], input.lintMode));
  if (failed) {
    // The problems are listed just below; a failure with none (no connection, say) is spelled out here.
    const what = plan
      ? '`migrate` would refuse to run until the problems below are fixed, so this check fails.'
      : warned
        ? 'The migrations cannot be planned until the problems below are fixed, so this check fails.'
        : `This check fails: ${text(input.failure ?? '')}`;
    top.push(`> [!CAUTION]\n> ${what}`);
  }

  const footer = [
    '---',
    `<sub>pgshift · directory ${code(input.dir)} · table ${code(input.table)}${input.sha ? ` · commit ${code(input.sha.slice(0, 7))}` : ''}${input.runUrl ? ` · ${link('workflow run', input.runUrl)}` : ''} · updated on every push</sub>`,
  ].join('\n');

  const sql = pending
    .slice(0, MAX_PENDING_ROWS)
    .map((m) => ({ summary: `${code(m.file)} · ${plural(m.statements, 'statement')}`, sql: m.sql, file: m.file }));
  return fitComment({
    top,
    parts: [
      ...(warned ? [problemsSection(input.problems, 1)] : []),
      lintPart(input.findings ?? [], 3),
      ...(pending.length > 0 ? [pendingSection(pending, 2)] : []),
    ],
    sql,
    footer,
    ...(input.place && { place: input.place }),
    ...(input.runUrl && { runUrl: input.runUrl }),
  });
}
