/**
 * The comment's section on the rehearsal: one row per measured statement
 * (a hazard with what was measured, or why it is none), then the tables
 * not seeded and the findings the measurement cleared.
 */
import { rehearsalLines, rehearsalTitle, type Rehearsal } from '../frontend/rehearsal.js';
import { code, table, text } from './markdown.js';
import type { Section } from './sql-blocks.js';

const MARK = { hazard: '❌', safe: '✅', skipped: '⏭️', 'not-seeded': 'ℹ️', cleared: '✅' } as const;

export function rehearsalSection(r: Rehearsal, rank: number): Section {
  const rows = rehearsalLines(r).map((l) => [MARK[l.kind], code(l.at), text(l.text)]);
  return {
    rank,
    total: rows.length,
    render: (shown) =>
      [
        `**${rehearsalTitle(r)}** · each statement run as \`migrate\` runs it, while a reader and a writer tried the table`,
        '',
        table(['', 'Statement', 'Measured'], ['c', 'l', 'l'], rows.slice(0, shown)),
        ...(shown < rows.length ? ['', `…and ${rows.length - shown} more not shown here.`] : []),
      ].join('\n'),
    leftOut: (n) => `${n} rehearsal ${n === 1 ? 'line' : 'lines'}`,
  };
}
