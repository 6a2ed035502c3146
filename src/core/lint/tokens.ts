/**
 * The tokens of one SQL statement, for recognising what it does: words
 * (upper-cased), quoted identifiers (as written), strings, numbers and
 * punctuation, each with its offset in the statement and its depth in
 * parentheses. Comments are dropped. It reads just enough of PostgreSQL's
 * lexical rules to find keywords and names; the statement has been split
 * and checked by the migration lexer already.
 */
import { isIdentChar, isIdentStart, isSpace, skipBlockComment, skipToLineEnd } from '../sql-lexer.js';

export interface Token {
  readonly kind: 'word' | 'ident' | 'string' | 'number' | 'punct';
  /** As written (a quoted identifier without its quotes, a string without them). */
  readonly text: string;
  /** Words upper-cased; anything else as `text`. */
  readonly upper: string;
  readonly offset: number;
  /** Parentheses open around it. */
  readonly depth: number;
}

const OPERATOR = '+-*/<>=~!@#%^&|`?:';

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const n = sql.length;
  const push = (kind: Token['kind'], text: string, offset: number) =>
    tokens.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text, offset, depth });
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (isSpace(c)) {
      i++;
    } else if (c === 45 && next === 45) {
      i = skipToLineEnd(sql, i);
    } else if (c === 47 && next === 42) {
      const end = skipBlockComment(sql, i);
      i = end < 0 ? n : end;
    } else if (c === 39 || ((c === 69 || c === 101) && next === 39)) {
      const start = c === 39 ? i : i + 1;
      const escapes = c !== 39;
      let j = start + 1;
      let text = '';
      while (j < n) {
        const d = sql[j]!;
        if (escapes && d === '\\') {
          text += sql[j + 1] ?? '';
          j += 2;
        } else if (d === "'" && sql[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (d === "'") {
          j++;
          break;
        } else {
          text += d;
          j++;
        }
      }
      push('string', text, i);
      i = j;
    } else if (c === 34) {
      let j = i + 1;
      let text = '';
      while (j < n) {
        if (sql[j] === '"' && sql[j + 1] === '"') {
          text += '"';
          j += 2;
        } else if (sql[j] === '"') {
          j++;
          break;
        } else text += sql[j++];
      }
      push('ident', text, i);
      i = j;
    } else if (c === 36 && (next === 36 || isIdentStart(next))) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64))?.[0];
      if (!tag) {
        push('punct', '$', i++);
        continue;
      }
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? n : close;
      push('string', sql.slice(i + tag.length, end), i);
      i = close < 0 ? n : close + tag.length;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
      push('word', sql.slice(i, j), i);
      i = j;
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && /[0-9.eE]/.test(sql[j]!)) j++;
      push('number', sql.slice(i, j), i);
      i = j;
    } else if (OPERATOR.includes(sql[i]!)) {
      // An operator is the longest run of operator characters, up to a comment start: `<>`, `>=`, `::`.
      let j = i + 1;
      while (j < n && OPERATOR.includes(sql[j]!) && !sql.startsWith('--', j) && !sql.startsWith('/*', j)) j++;
      push('punct', sql.slice(i, j), i);
      i = j;
    } else {
      if (c === 41) depth = Math.max(0, depth - 1);
      push('punct', sql[i]!, i);
      if (c === 40) depth++;
      i++;
    }
  }
  return tokens;
}

/** A name as PostgreSQL folds it: unquoted words to lower case. */
export const folded = (t: Token): string => (t.kind === 'word' ? t.text.toLowerCase() : t.text);
