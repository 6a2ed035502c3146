import { isIdentChar, isSpace, skipBlockComment, skipToLineEnd } from './sql-lexer.js';

/**
 * The SQL as the server would read it, less what cannot change that:
 * comments dropped, white space outside quotes dropped where it separates
 * nothing (a word from punctuation) and made one space where it does (two
 * words, or two operator characters: `< =` is not `<=`).
 * Two texts with the same result differ only in comments and white space
 * (what `repair` accepts as a harmless edit of an applied file).
 */
export function significantSql(sql: string): string {
  let out = '';
  let space = false;
  let i = 0;
  const n = sql.length;
  const emit = (text: string) => {
    const before = out.charCodeAt(out.length - 1);
    const after = text.charCodeAt(0);
    if (space && out !== '' && isIdentChar(before) === isIdentChar(after)) out += ' ';
    space = false;
    out += text;
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (isSpace(c)) {
      space = true;
      i++;
    } else if (c === 45 && next === 45) {
      space = true;
      i = skipToLineEnd(sql, i);
    } else if (c === 47 && next === 42) {
      space = true;
      const end = skipBlockComment(sql, i);
      i = end < 0 ? n : end;
    } else if (c === 39 || c === 34) {
      // A quoted string or identifier, kept as it is (doubled quotes inside included).
      const quote = sql[i]!;
      let j = i + 1;
      for (;;) {
        const q = sql.indexOf(quote, j);
        if (q < 0) {
          j = n;
          break;
        }
        if (sql[q + 1] !== quote) {
          j = q + 1;
          break;
        }
        j = q + 2;
      }
      emit(sql.slice(i, j));
      i = j;
    } else if (c === 36) {
      // A dollar quote, kept as it is.
      const tag = /^\$[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*\$|^\$\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        const j = close < 0 ? n : close + tag.length;
        emit(sql.slice(i, j));
        i = j;
      } else {
        emit('$');
        i++;
      }
    } else if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      emit(sql.slice(i, j));
      i = j;
    } else {
      emit(sql[i]!);
      i++;
    }
  }
  return out;
}
