import { isIdentChar, scanSql } from './sql-lexer.js';

/**
 * The SQL as the server would read it, less what cannot change that:
 * comments dropped, white space outside quotes dropped where it separates
 * nothing (a word from punctuation) and made one space where it does (two
 * words, or two operator characters: `< =` is not `<=`).
 * Two texts with the same result differ only in comments and white space
 * (what `repair` accepts as a harmless edit of an applied file). A text
 * left open (an unterminated quote) is kept as it is from there on.
 */
export function significantSql(sql: string): string {
  let out = '';
  let space = false;
  let last = 0;
  const problem = scanSql(sql, (kind, start, end) => {
    last = end;
    if (kind === 'space' || kind === 'comment') {
      space = true;
      return;
    }
    const text = sql.slice(start, end);
    if (space && out !== '' && isIdentChar(out.charCodeAt(out.length - 1)) === isIdentChar(text.charCodeAt(0))) out += ' ';
    space = false;
    out += text;
  });
  return problem ? out + (space ? ' ' : '') + sql.slice(last) : out;
}
