import { hintFor, type PendingMigration, type Problem, type VerifyReport } from '../index.js';
import { plural } from '../frontend/format.js';
import { lintCount } from '../frontend/problems.js';
import type { LintMode } from '../frontend/settings.js';
import { blockLine, code, fenced, table, text } from './markdown.js';
import type { Section } from './sql-blocks.js';
import { ACTION_WORDS } from '../frontend/words.js';

/** At most this many pending migrations get a row or an SQL block. */
export const MAX_PENDING_ROWS = 300;
const MAX_PROBLEMS = 50;

/**
 * The problems counted as every part of the report counts them, the
 * headline's line, the section and the job summary: `2 errors, 1 warning`;
 * `none`.
 */
export function problemCount(problems: readonly Problem[]): string {
  if (problems.length === 0) return 'none';
  const errors = problems.filter((p) => p.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')}`;
}

/** What was checked, in the words of the sections below: `Problems: none · lint: no findings`. */
export function countsLine(problems: readonly Problem[], findings: readonly Problem[], mode?: LintMode): string {
  const lint = lintCount(findings, mode);
  const off = 'off (the <code>lint</code> input, <code>PGSHIFT_LINT</code> or <code>lint.mode</code> in the config file)';
  return `Problems: ${problemCount(problems)} · lint: ${lint === 'off' ? off : lint}`;
}

/** The problems as a Markdown list, errors marked, each on its file and line, with the hint; the first `shown` written out. */
export function problemsList(problems: readonly Problem[], shown = MAX_PROBLEMS): string {
  const count = Math.min(shown, MAX_PROBLEMS);
  const lines = problems.slice(0, count).map((p) => {
    const mark = p.severity === 'error' ? '❌ **error**' : '⚠️ **warning**';
    const where = p.file ? ` ${code(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}`)}` : '';
    const state = p.server?.sqlstate ? ` (${p.server.sqlstate})` : '';
    const hint = hintFor(p, ACTION_WORDS);
    return `- ${mark}${where}: ${text(p.message + state)}${hint ? `<br>↳ _${text(hint)}_` : ''}`;
  });
  if (problems.length > count) lines.push(`- …and ${problems.length - count} more (see the job summary and annotations)`);
  return [`**Problems: ${problemCount(problems)}**`, '', ...lines].join('\n');
}

/** The problems list as a part of a report that may have to give up its tail. */
export function problemsSection(problems: readonly Problem[], rank: number): Section {
  return {
    rank,
    total: Math.min(problems.length, MAX_PROBLEMS),
    render: (shown) => problemsList(problems, shown),
    leftOut: (n) => plural(n, 'problem'),
  };
}

/** One row per pending migration: version, name, statements, transaction mode, DOWN; the first `shown`. */
export function pendingTable(pending: readonly PendingMigration[], shown = MAX_PENDING_ROWS): string {
  const count = Math.min(shown, MAX_PENDING_ROWS);
  const rows = pending
    .slice(0, count)
    .map((m) => [
      String(m.version),
      `${text(m.name)}${m.outOfOrder ? ' ⚠️ out of order' : ''}`,
      String(m.statements),
      m.transaction === 'transaction' ? 'one transaction' : 'none (statement by statement)',
      m.hasDown ? '✅' : '—',
    ]);
  const more = pending.length > count ? `\n\n…and ${pending.length - count} more not listed.` : '';
  return table(['Version', 'Name', 'Statements', 'Transaction', 'Has DOWN'], ['r', 'l', 'r', 'l', 'c'], rows) + more;
}

export function pendingSection(pending: readonly PendingMigration[], rank: number): Section {
  return {
    rank,
    total: Math.min(pending.length, MAX_PENDING_ROWS),
    render: (shown) => pendingTable(pending, shown),
    leftOut: (n) => `${plural(n, 'row')} of the pending migrations table`,
  };
}

type SummaryGroup = VerifyReport['schemaSummary'][number];

/** Objects, and lines per object, written out at most; the rest are counted. */
const MAX_OBJECTS = 100;
const MAX_LINES = 30;
/**
 * The signs in a ```diff block, whose lines GitHub colours by their first
 * character: `+` added (green), `-` dropped (red), `!` changed (orange). As
 * nested list items `- + column` and `- - column` would both read as bullets.
 */
const SIGN = { '+': '+', '-': '-', '~': '!' } as const;
const GROUP_SIGN: Record<SummaryGroup['change'], string> = { added: '+', dropped: '-', changed: '!' };

/**
 * The schema from the base's to the branch's in a ```diff block, a line
 * per object and one per change inside it, each starting with its sign; a
 * renamed column is a change (`! column a renamed to b`), not a drop and an
 * add. The block is code: names are written as they are, on one line each.
 */
export function schemaDiffSection(groups: readonly SummaryGroup[], base: string, rank: number): Section {
  const lines = groups
    .slice(0, MAX_OBJECTS)
    .flatMap((g) => [
      `${GROUP_SIGN[g.change]} ${blockLine(g.headline)}`,
      ...g.lines.slice(0, MAX_LINES).map((l) => `${SIGN[l.sign]}     ${blockLine(l.text)}`),
      ...(g.lines.length > MAX_LINES ? [`      …and ${g.lines.length - MAX_LINES} more`] : []),
    ]);
  const more = groups.length > MAX_OBJECTS ? [`…and ${plural(groups.length - MAX_OBJECTS, 'more object')}.`] : [];
  return {
    rank,
    total: lines.length,
    render: (shown) =>
      [
        `**Schema changes from ${code(base)}** · <code>+</code> added, <code>-</code> dropped, <code>!</code> changed`,
        '',
        fenced(lines.slice(0, shown).join('\n'), 'diff'),
        ...(shown < lines.length ? ['', `…and ${plural(lines.length - shown, 'more line')} not shown here.`] : []),
        ...(more.length > 0 ? ['', ...more] : []),
      ].join('\n'),
    leftOut: (n) => `${plural(n, 'line')} of the schema diff`,
  };
}
