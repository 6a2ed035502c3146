/**
 * Markdown for GitHub comments and job summaries. File names and messages
 * come from the repository (a migration name may hold `|`, `*`, `<`...), so
 * every such text goes through `text()` or `code()`: as numeric character
 * references, CommonMark shows them literally and never as table, emphasis
 * or HTML syntax.
 *
 * `@` and `#` are escaped too, and in prose followed by a zero-width space:
 * GitHub looks for `@user`, `@org/team` and `#1234` in the text once its
 * references are decoded, so `&#64;user` alone would still notify the user
 * (the trick Dependabot uses for changelogs it quotes). Inside `<code>` and
 * fenced blocks GitHub links nothing, and names stay as they are to copy.
 */
const SPECIAL = /[&<>|*_`[\]~\\$@#]/g;
const MENTION = new Set(['@', '#']);
/** Longer repository text (a server error quoting a huge value, say) is cut: the log and annotations keep it whole. */
const MAX_TEXT = 2_000;

/** The text within MAX_TEXT characters, never between the halves of a surrogate pair. */
const cut = (raw: string): string =>
  raw.length > MAX_TEXT ? `${raw.slice(0, /[\uD800-\uDBFF]/.test(raw[MAX_TEXT - 1]!) ? MAX_TEXT - 1 : MAX_TEXT)}…` : raw;

function escape(value: string | number, inProse: boolean): string {
  return cut(String(value))
    .replace(SPECIAL, (c) => `&#${c.charCodeAt(0)};${inProse && MENTION.has(c) ? '&#8203;' : ''}`)
    .replace(/\r\n?|\n/g, ' ');
}

/** User text safe anywhere in Markdown, table cells and HTML blocks included; never a mention or an issue link. */
export function text(value: string | number): string {
  return escape(value, true);
}

/** Inline code for user text; `<code>` rather than backticks, which the text itself may contain. */
export function code(value: string | number): string {
  return `<code>${escape(value, false)}</code>`;
}

/** A fenced block longer than any backtick run inside, so SQL cannot close it early. */
export function fenced(body: string, language = ''): string {
  const fence = '`'.repeat(fenceLength(body));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** How long the fence around `body` is: its length is `body.length + 2 * fenceLength(body) + language + 2`. */
export function fenceLength(body: string): number {
  let longest = 0;
  for (const run of body.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return Math.max(3, longest + 1);
}

/**
 * User text as one line of a fenced block, where nothing is escaped: line
 * breaks (a quoted name may hold one) become spaces, so no text can start a
 * line of its own, and long text is cut as in prose.
 */
export function blockLine(value: string): string {
  return cut(value.replace(/\r\n?|\n/g, ' '));
}

/**
 * A link: `label` is Markdown already escaped; `url` is pgshift's own or the
 * runner's (never the repository's), with what would end the link encoded.
 */
export function link(label: string, url: string): string {
  return `[${label}](${url.replace(/[()<>\s\\]/g, encodeURIComponent)})`;
}

export function table(head: readonly string[], align: readonly ('l' | 'r' | 'c')[], rows: readonly (readonly string[])[]): string {
  const rule = align.map((a) => (a === 'r' ? '--:' : a === 'c' ? ':-:' : '---'));
  return [head, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** `a`, `a and b`, `a, b and c`. */
export const listed = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * How the comment and the summary name the database: by the input that gave
 * it, never by anything read from the connection string. The runner masks a
 * password wherever it appears, so a database called like a common password
 * (postgres) would show as ***, and the comment is public.
 */
export const DATABASE = 'the database of the <code>connection</code> input';
