/**
 * Whether one statement of a no-transaction migration may be sent again
 * after it ran out of lock_timeout. Alone outside a transaction, a statement
 * that fails has no effect, with these exceptions, which commit part of
 * their work in transactions of their own before they can time out:
 * - CREATE INDEX CONCURRENTLY leaves an invalid index of its name behind;
 *   it is retried once that index is dropped (DROP INDEX CONCURRENTLY), and
 *   not retried when the statement names no index (the server chose a name
 *   pgshift cannot know);
 * - REINDEX … CONCURRENTLY leaves an invalid `_ccnew` index, and DETACH
 *   PARTITION … CONCURRENTLY a partition pending detach: a person decides;
 * - DO and CALL may have committed part of their work.
 */
import { scanSql } from './sql-lexer.js';

export type RetrySafety =
  | { readonly kind: 'repeat' }
  | { readonly kind: 'refuse'; readonly reason: string }
  /** Drop the invalid index `index` (as the server spells it, unquoted) of `table` (as written) first. */
  | { readonly kind: 'drop-index'; readonly index: string; readonly table: string };

interface Token {
  readonly word?: string;
  /** An identifier as the server reads it: a word folded to lower case, a quoted one unquoted. */
  readonly name?: string;
  readonly text: string;
}

function tokens(sql: string, max: number): Token[] {
  const out: Token[] = [];
  scanSql(sql, (kind, start, end) => {
    const text = sql.slice(start, end);
    if (kind === 'space' || kind === 'comment') return true;
    if (kind === 'word') out.push({ word: text.toUpperCase(), name: text.toLowerCase(), text });
    else if (kind === 'quoted-identifier') out.push({ name: text.slice(1, -1).replace(/""/g, '"'), text });
    else out.push({ text });
    return out.length < max;
  });
  return out;
}

export function retrySafety(sql: string): RetrySafety {
  const t = tokens(sql, 40);
  const words = t.map((x) => x.word ?? '');
  const has = (w: string) => words.includes(w);
  if (words[0] === 'DO' || words[0] === 'CALL') {
    return { kind: 'refuse', reason: `${words[0]} may have committed part of its work before it timed out` };
  }
  if (words[0] === 'REINDEX' && has('CONCURRENTLY')) {
    return {
      kind: 'refuse',
      reason: 'REINDEX CONCURRENTLY leaves an invalid index (…_ccnew) behind when it fails: drop it, then run again',
    };
  }
  if (words[0] === 'ALTER' && has('DETACH') && has('CONCURRENTLY')) {
    return {
      kind: 'refuse',
      reason:
        'a DETACH PARTITION CONCURRENTLY that failed leaves the partition pending detach: finish it with … DETACH PARTITION … FINALIZE',
    };
  }
  let i = words[1] === 'UNIQUE' ? 2 : 1;
  if (!(words[0] === 'CREATE' && words[i] === 'INDEX' && words[i + 1] === 'CONCURRENTLY')) return { kind: 'repeat' };
  i += 2;
  if (words[i] === 'IF' && words[i + 1] === 'NOT' && words[i + 2] === 'EXISTS') i += 3;
  const index = t[i];
  if (index?.name === undefined || words[i] === 'ON') {
    return {
      kind: 'refuse',
      reason: 'it names no index, so the invalid index it may have left cannot be told apart: drop it, then run again',
    };
  }
  i += 1;
  if (words[i] !== 'ON') return { kind: 'refuse', reason: 'its table could not be read' };
  i += words[i + 1] === 'ONLY' ? 2 : 1;
  const table = [t[i]];
  if (t[i + 1]?.text === '.' && t[i + 2]?.name !== undefined) table.push(t[i + 1], t[i + 2]);
  if (table.some((x) => x === undefined) || table[0]!.name === undefined) return { kind: 'refuse', reason: 'its table could not be read' };
  return { kind: 'drop-index', index: index.name, table: table.map((x) => x!.text).join('') };
}
