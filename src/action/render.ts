import { hintFor, type PendingMigration, type Problem } from '../index.js';
import { plural } from '../frontend/format.js';
import { code, table, text } from './markdown.js';
import type { Section } from './sql-blocks.js';
import { ACTION_WORDS } from '../frontend/words.js';

/** At most this many pending migrations get a row or an SQL block. */
export const MAX_PENDING_ROWS = 300;
const MAX_PROBLEMS = 50;

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
  return [`**${plural(problems.length, 'problem')} found**`, '', ...lines].join('\n');
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
