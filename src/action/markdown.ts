/**
 * Markdown for GitHub comments and job summaries. File names and messages
 * come from the repository (a migration name may hold `|`, `*`, `<`...), so
 * every such text goes through `text()`: as numeric character references,
 * CommonMark shows them literally and never as table, emphasis or HTML syntax.
 */
const SPECIAL = /[&<>|*_`[\]~\\$]/g;

/** User text safe anywhere in Markdown, table cells included. */
export function text(value: string | number): string {
  return String(value)
    .replace(SPECIAL, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/\r?\n/g, ' ');
}

/** Inline code for user text; `<code>` rather than backticks, which the text itself may contain. */
export function code(value: string | number): string {
  return `<code>${text(value)}</code>`;
}

/** A fenced block longer than any backtick run inside, so SQL cannot close it early. */
export function fenced(body: string, language = ''): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

export function table(head: readonly string[], align: readonly ('l' | 'r' | 'c')[], rows: readonly (readonly string[])[]): string {
  const rule = align.map((a) => (a === 'r' ? '--:' : a === 'c' ? ':-:' : '---'));
  return [head, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * How the comment and the summary name the database: by the input that gave
 * it, never by anything read from the connection string. The runner masks a
 * password wherever it appears, so a database called like a common password
 * (postgres) would show as ***, and the comment is public.
 */
export const DATABASE = 'the database of the <code>connection</code> input';
