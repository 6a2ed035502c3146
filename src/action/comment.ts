import { posix } from 'node:path';
import type { ConnectionDescription, Plan, PlannedMigration, Problem } from '../index.js';
import { code, databaseLabel, fenced, plural, text } from './markdown.js';
import { MAX_PENDING_ROWS, pendingTable, problemsList } from './render.js';

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept below the limit for the footer and for characters GitHub may count differently. */
const MARGIN = 1_000;

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
  /** Where the database is, as describeConnection gives it; undefined without one. */
  readonly where?: ConnectionDescription;
  readonly dir: string;
  readonly table: string;
  /** Absent when no plan could be made (unreadable files, no connection). */
  readonly plan?: Plan;
  readonly problems: readonly Problem[];
  /** Why the check fails, when it does. */
  readonly failure?: string;
  /** The pull request's head commit the plan was made for. */
  readonly sha?: string;
}

/** The PR comment: problems first, then what would run, then each migration's SQL, within GitHub's size limit. */
export function renderPlanComment(input: PlanCommentInput): string {
  const { plan } = input;
  const pending = plan?.pending ?? [];
  const db = databaseLabel(input.where);
  const failed = input.failure !== undefined;
  const warned = input.problems.length > 0;
  const icon = failed ? '❌' : warned ? '⚠️' : pending.length > 0 ? '📋' : '✅';
  const headline = !plan
    ? `the plan could not be made for ${db}`
    : pending.length === 0
      ? `nothing pending on ${db}; the database is up to date with this branch`
      : `${plural(pending.length, 'migration')} pending on ${db}`;

  const head: string[] = [input.marker, `### ${icon} pgshift plan: ${headline}`, ''];
  if (failed) {
    // The problems are listed just below; a failure with none (no connection, say) is spelled out here.
    const what = plan
      ? '`migrate` would refuse to run until the problems below are fixed, so this check fails.'
      : warned
        ? 'The migrations cannot be planned until the problems below are fixed, so this check fails.'
        : `This check fails: ${text(input.failure ?? '')}`;
    head.push('> [!CAUTION]', `> ${what}`, '');
  }
  if (warned) head.push(problemsList(input.problems), '');
  if (pending.length > 0) head.push(pendingTable(pending), '');

  const footer = [
    '---',
    `<sub>pgshift · directory ${code(input.dir)} · table ${code(input.table)}${input.sha ? ` · commit ${code(input.sha.slice(0, 7))}` : ''} · updated on every push</sub>`,
  ].join('\n');

  const fixed = head.join('\n').length + footer.length + 200;
  const { blocks, shortened } = sqlBlocks(pending.slice(0, MAX_PENDING_ROWS), COMMENT_LIMIT - MARGIN - fixed);
  const note =
    shortened > 0
      ? [
          `> [!NOTE]`,
          `> ${plural(shortened, 'SQL block')} shortened to keep this comment within GitHub's 65,536-character limit; the files hold the full SQL.`,
          '',
        ]
      : [];
  const body = [...head, ...note, ...blocks, footer].join('\n');
  // A last guard; the budget above should make it unreachable.
  return body.length <= COMMENT_LIMIT - MARGIN / 2
    ? body
    : `${body.slice(0, COMMENT_LIMIT - MARGIN)}\n\n_(cut short: the comment would exceed GitHub's size limit)_`;
}

/**
 * One collapsible block per migration. When all the SQL does not fit, the
 * space is shared out so that short migrations stay whole and the long ones
 * are cut at a line, each saying how much is shown.
 */
function sqlBlocks(pending: readonly PlannedMigration[], budget: number): { blocks: string[]; shortened: number } {
  const wrap = (m: PlannedMigration, sql: string | undefined, note: string) => {
    const summary = `<details><summary>${code(m.file)} · ${plural(m.statements, 'statement')}</summary>`;
    return [summary, '', ...(sql === undefined ? [] : [fenced(sql, 'sql'), '']), ...(note ? [note, ''] : []), '</details>', ''].join('\n');
  };
  const NOTE_ROOM = 220;
  const overhead = pending.reduce((sum, m) => sum + wrap(m, '', '').length + NOTE_ROOM, 0);
  let available = Math.max(0, budget - overhead);
  const allowance = new Map<PlannedMigration, number>();
  const bySize = [...pending].sort((a, b) => a.sql.length - b.sql.length);
  bySize.forEach((m, i) => {
    const share = Math.floor(available / (bySize.length - i));
    const given = Math.min(m.sql.length, share);
    allowance.set(m, given);
    available -= given;
  });

  let shortened = 0;
  const blocks = pending.map((m) => {
    const room = allowance.get(m) ?? 0;
    if (room >= m.sql.length) return wrap(m, m.sql, '');
    shortened++;
    const total = m.sql.split('\n').length;
    if (room < 80)
      return wrap(
        m,
        undefined,
        `_SQL not shown (${plural(total, 'line')}): there is no room left within GitHub's comment limit; see ${code(m.file)}._`,
      );
    const cut = m.sql.slice(0, room);
    const end = cut.lastIndexOf('\n');
    const shown = end > room / 2 ? cut.slice(0, end) : cut;
    const lines = shown.split('\n').length;
    return wrap(
      m,
      `${shown}\n-- …`,
      `_Shortened: the first ${plural(lines, 'line')} of ${total} shown; the full SQL is in ${code(m.file)}._`,
    );
  });
  return { blocks, shortened };
}
