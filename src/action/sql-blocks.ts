import { code, fenced, plural } from './markdown.js';

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept below the limit for the footer and for characters GitHub may count differently. */
const MARGIN = 1_000;

/** A collapsible block of SQL: its summary line (Markdown, already escaped), the SQL, the file it is from. */
export interface SqlItem {
  readonly summary: string;
  readonly sql: string;
  readonly file: string;
}

/**
 * The comment: `head`, one collapsible block per SQL item, `footer`, within
 * GitHub's size limit. When all the SQL does not fit, the space is shared
 * out so that short blocks stay whole and the long ones are cut at a line,
 * each saying how much is shown. Every block is closed and the footer kept.
 */
export function fitComment(head: readonly string[], items: readonly SqlItem[], footer: string): string {
  const fixed = head.join('\n').length + footer.length + 200;
  const { blocks, shortened } = sqlBlocks(items, COMMENT_LIMIT - MARGIN - fixed);
  const note =
    shortened > 0
      ? [
          `> [!NOTE]`,
          `> ${plural(shortened, 'SQL block')} shortened to keep this comment within GitHub's 65,536-character limit; the files hold the full SQL.`,
          '',
        ]
      : [];
  const body = [...head, ...note, ...blocks, footer].join('\n');
  if (body.length <= COMMENT_LIMIT - MARGIN / 2) return body;
  // A last guard, which the budget above should make unreachable: whole blocks are dropped, never cut through.
  const kept: string[] = [];
  let size = [...head, ...note, footer].join('\n').length + 200;
  for (const block of blocks) {
    if (size + block.length + 1 > COMMENT_LIMIT - MARGIN) break;
    kept.push(block);
    size += block.length + 1;
  }
  return [
    ...head,
    ...note,
    ...kept,
    `_(${blocks.length - kept.length} SQL blocks left out to stay within GitHub's size limit)_`,
    '',
    footer,
  ].join('\n');
}

export function sqlBlocks(items: readonly SqlItem[], budget: number): { blocks: string[]; shortened: number } {
  const wrap = (m: SqlItem, sql: string | undefined, note: string) =>
    [
      `<details><summary>${m.summary}</summary>`,
      '',
      ...(sql === undefined ? [] : [fenced(sql, 'sql'), '']),
      ...(note ? [note, ''] : []),
      '</details>',
      '',
    ].join('\n');
  const NOTE_ROOM = 220;
  const overhead = items.reduce((sum, m) => sum + wrap(m, '', '').length + NOTE_ROOM, 0);
  let available = Math.max(0, budget - overhead);
  const allowance = new Map<SqlItem, number>();
  const bySize = [...items].sort((a, b) => a.sql.length - b.sql.length);
  bySize.forEach((m, i) => {
    const share = Math.floor(available / (bySize.length - i));
    const given = Math.min(m.sql.length, share);
    allowance.set(m, given);
    available -= given;
  });

  let shortened = 0;
  const blocks = items.map((m) => {
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
