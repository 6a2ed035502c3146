import { plural } from '../frontend/format.js';
import { code, fenced, fenceLength, link, listed } from './markdown.js';

/** GitHub refuses a comment body longer than this many characters (UTF-16 code units, as JavaScript counts). */
export const COMMENT_LIMIT = 65_536;

/** Where the Markdown goes: a pull request comment, or the job summary, which has more room. */
export type Place = 'comment' | 'summary';

interface PlaceWords {
  readonly limit: number;
  readonly within: string;
  /** Where to see what was left out; `run` is the workflow run's page, when known. */
  readonly elsewhere: (run: string | undefined) => string;
}

const PLACES: Record<Place, PlaceWords> = {
  comment: {
    // Room kept for characters GitHub may count differently.
    limit: COMMENT_LIMIT - 1_000,
    within: "this comment within GitHub's 65,536-character limit",
    elsewhere: (run) =>
      `The job summary of ${run === undefined ? 'this run' : link('this run', run)} has room for more, the job's log has the problems and lint findings as annotations, and the migration files hold the full SQL.`,
  },
  summary: {
    // GitHub takes 1 MiB of summary per step; a UTF-16 code unit is at most 3 bytes of UTF-8, and the summary adds a few lines.
    limit: 340_000,
    within: "this job summary within GitHub's 1 MiB limit",
    elsewhere: () => "The job's log has the problems and lint findings as annotations, and the migration files hold the full SQL.",
  },
};
/** The most the note at the top can take, kept free until it is written. */
const NOTE_ROOM = 1_000;

/**
 * A part of the report that can give up its tail when not everything fits:
 * a list, a table, the schema diff. With none of its entries shown it is
 * left out whole (and named in the note).
 */
export interface Section {
  /** Which part keeps its entries first when not everything fits: 1 before 2. */
  readonly rank: number;
  /** How many entries (rows, list items, lines) it has, the most important first. */
  readonly total: number;
  /** The Markdown with its first `shown` entries (1 ≤ shown ≤ total), saying itself how many more there are. */
  readonly render: (shown: number) => string;
  /** The note's words for entries left out: `12 rows of the migrations table`. */
  readonly leftOut: (count: number) => string;
}

/** A collapsible block of SQL: its summary line (Markdown, already escaped), the SQL, the file it is from. */
export interface SqlItem {
  readonly summary: string;
  readonly sql: string;
  readonly file: string;
}

export interface Layout {
  /** The marker, the verdict and what must be said whatever the size: always whole, so kept short by their makers. */
  readonly top: readonly string[];
  /** The rest, in reading order: text kept whole (kept short by its makers) and sections. */
  readonly parts: readonly (string | Section)[];
  /** Each migration's SQL, after the parts; what room is left goes to it. */
  readonly sql: readonly SqlItem[];
  readonly footer: string;
  /** Default `comment`. */
  readonly place?: Place;
  /** The workflow run's page, which the note points to for what was left out. */
  readonly runUrl?: string;
}

/**
 * The whole report within the size limit of its place, in one step: the
 * top and the text parts whole; then the sections, most important first,
 * each with as many entries as fit; then the SQL in what room is left. When
 * anything was shortened or left out, a note after the top says what, and
 * where to see it all. Blocks are measured as they are written, fences
 * included, so one huge migration is cut to its share and never crowds out
 * the ones after it.
 */
export function fitComment(layout: Layout): string {
  const place = PLACES[layout.place ?? 'comment'];
  const sections = layout.parts.filter((p): p is Section => typeof p !== 'string');
  const shown = new Map<Section, number>();
  const rendered = new Map<Section, string>();
  const renderOf = (s: Section, n: number) => (n === 0 ? '' : s.render(n));
  const blocks = () => [...layout.top, ...layout.parts.map((p) => (typeof p === 'string' ? p : (rendered.get(p) ?? ''))), layout.footer];
  const size = () => joined(blocks()).length + NOTE_ROOM + 2;

  for (const section of [...sections].sort((a, b) => a.rank - b.rank)) {
    let [low, high] = [0, section.total];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      rendered.set(section, renderOf(section, mid));
      if (size() <= place.limit) low = mid;
      else high = mid - 1;
    }
    shown.set(section, low);
    rendered.set(section, renderOf(section, low));
  }
  const sql = sqlBlocks(layout.sql, place.limit - size() - 2);

  const leftOut = [
    ...sections.filter((s) => shown.get(s)! < s.total).map((s) => s.leftOut(s.total - shown.get(s)!)),
    ...(sql.leftOut > 0 ? [`the SQL of ${plural(sql.leftOut, 'migration')}`] : []),
  ];
  const cut = sql.shortened > 0 ? `${plural(sql.shortened, 'SQL block')} shortened to keep ${place.within}` : '';
  const said =
    cut && leftOut.length > 0
      ? `${cut}, and left out: ${listed(leftOut)}.`
      : cut
        ? `${cut}.`
        : `Left out to keep ${place.within}: ${listed(leftOut)}.`;
  const note = cut || leftOut.length > 0 ? [`> [!NOTE]\n> ${said} ${place.elsewhere(layout.runUrl)}`] : [];
  const rest = blocks().slice(layout.top.length, -1);
  return joined([...layout.top, ...note, ...rest, ...sql.blocks, layout.footer]);
}

const joined = (blocks: readonly string[]) => blocks.filter((b) => b !== '').join('\n\n');

/** Below this much SQL a block is not worth shortening to: later migrations are left out instead. */
const MIN_SQL = 400;

interface SqlFit {
  readonly blocks: readonly string[];
  /** Blocks with only part of their SQL, or none of it, shown (left out when not even the note fits). */
  readonly shortened: number;
  /** Migrations with no block at all. */
  readonly leftOut: number;
}

/**
 * The SQL blocks within `budget` characters (separators included): as many
 * migrations as can each have a useful block, in order; the space shared
 * out so that short blocks stay whole and the long ones are cut at a line,
 * each saying how much is shown.
 */
function sqlBlocks(items: readonly SqlItem[], budget: number): SqlFit {
  const migrations: SqlItem[][] = [];
  for (const item of items) {
    const last = migrations[migrations.length - 1];
    if (last?.[0]?.file === item.file) last.push(item);
    else migrations.push([item]);
  }
  // The whole blocks' lengths, measured without writing them: a seed of many megabytes is not copied for each look.
  const full = new Map(items.map((m) => [m, wrap(m, '', '').length + m.sql.length + 2 * (fenceLength(m.sql) - 3)]));
  const need = (m: SqlItem) => Math.min(full.get(m)!, notShown(m).length + MIN_SQL) + 2;
  let kept = 0;
  for (let used = 0; kept < migrations.length; kept++) {
    const more = migrations[kept]!.reduce((sum, m) => sum + need(m), 0);
    if (used + more > budget) break;
    used += more;
  }
  const chosen = migrations.slice(0, kept).flat();

  let available = Math.max(0, budget);
  const room = new Map<SqlItem, number>();
  const bySize = [...chosen].sort((a, b) => full.get(a)! - full.get(b)!);
  bySize.forEach((m, i) => {
    const given = Math.min(full.get(m)! + 2, Math.floor(available / (bySize.length - i)));
    room.set(m, given);
    available -= given;
  });

  let shortened = 0;
  const blocks = chosen.map((m) => {
    const space = room.get(m)! - 2;
    if (full.get(m)! <= space) return wrap(m, m.sql, '');
    shortened++;
    return shortenedBlock(m, space);
  });
  return { blocks: blocks.filter((b) => b !== ''), shortened, leftOut: migrations.length - kept };
}

function wrap(m: SqlItem, sql: string | undefined, note: string): string {
  return [
    `<details><summary>${m.summary}</summary>`,
    ...(sql === undefined ? [] : [fenced(sql, 'sql')]),
    ...(note ? [note] : []),
    '</details>',
  ].join('\n\n');
}

const lineCount = (sql: string) => sql.split('\n').length;

function notShown(m: SqlItem): string {
  return wrap(
    m,
    undefined,
    `_SQL not shown (${plural(lineCount(m.sql), 'line')}): there is no room left within the size limit; see ${code(m.file)}._`,
  );
}

/** The block within `room` characters with its SQL cut where the block (fence included) still fits, or only a note, or nothing. */
function shortenedBlock(m: SqlItem, room: number): string {
  const total = lineCount(m.sql);
  const cut = (length: number) => {
    const head = m.sql.slice(0, length);
    const end = head.lastIndexOf('\n');
    const shown = end > length / 2 ? head.slice(0, end) : head;
    const how =
      end > length / 2 || length >= m.sql.length
        ? `the first ${plural(lineCount(shown), 'line')} of ${total}`
        : `the first ${shown.length} characters of ${m.sql.length} (a line is cut)`;
    return wrap(m, `${shown}\n-- …`, `_Shortened: ${how} shown; the full SQL is in ${code(m.file)}._`);
  };
  // A longer part makes a block no shorter (its fence only grows; only the note's wording may vary), so the
  // longest that fits is found by halving; each candidate is measured, so the one kept always fits.
  let [low, high] = [0, Math.min(m.sql.length, room)];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (cut(mid).length <= room) low = mid;
    else high = mid - 1;
  }
  const best = low > 0 ? cut(low) : '';
  if (best !== '' && best.length <= room && m.sql.slice(0, low).trim() !== '') return best;
  const none = notShown(m);
  return none.length <= room ? none : '';
}
