import { hintFor, type PendingMigration, type Problem } from '../index.js';
import { code, plural, table, text } from './markdown.js';
import { ACTION_WORDS } from './words.js';

/** At most this many pending migrations get a row or an SQL block. */
export const MAX_PENDING_ROWS = 300;
const MAX_PROBLEMS = 50;

/** The problems as a Markdown list, errors marked, each on its file and line, with the hint. */
export function problemsList(problems: readonly Problem[]): string {
  const lines = problems.slice(0, MAX_PROBLEMS).map((p) => {
    const mark = p.severity === 'error' ? '❌ **error**' : '⚠️ **warning**';
    const where = p.file ? ` ${code(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}`)}` : '';
    const state = p.server?.sqlstate ? ` (${p.server.sqlstate})` : '';
    const hint = hintFor(p, ACTION_WORDS);
    return `- ${mark}${where}: ${text(p.message + state)}${hint ? `<br>↳ _${text(hint)}_` : ''}`;
  });
  if (problems.length > MAX_PROBLEMS) lines.push(`- …and ${problems.length - MAX_PROBLEMS} more (see the job summary and annotations)`);
  return [`**${plural(problems.length, 'problem')} found**`, '', ...lines].join('\n');
}

/** One row per pending migration: version, name, statements, transaction mode, DOWN. */
export function pendingTable(pending: readonly PendingMigration[]): string {
  const rows = pending
    .slice(0, MAX_PENDING_ROWS)
    .map((m) => [
      String(m.version),
      `${text(m.name)}${m.outOfOrder ? ' ⚠️ out of order' : ''}`,
      String(m.statements),
      m.transaction === 'transaction' ? 'one transaction' : 'none (statement by statement)',
      m.hasDown ? '✅' : '—',
    ]);
  const more = pending.length > MAX_PENDING_ROWS ? `\n\n…and ${pending.length - MAX_PENDING_ROWS} more not listed.` : '';
  return table(['Version', 'Name', 'Statements', 'Transaction', 'Has DOWN'], ['r', 'l', 'r', 'l', 'c'], rows) + more;
}
