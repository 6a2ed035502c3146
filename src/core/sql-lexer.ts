/**
 * A small lexer for PostgreSQL SQL that splits a migration file into
 * statements the way psql's own scanner (psqlscan.l) does, so that what we
 * send to the server matches what `psql -f` would send, and so that lexing
 * problems and server error positions can be mapped back to the file.
 *
 * It knows just enough of the grammar to find statement boundaries: quotes,
 * comments, dollar quotes, parentheses and SQL-standard function bodies
 * (`BEGIN ATOMIC ... END`). It assumes standard_conforming_strings = on.
 *
 * One forward scan over UTF-16 code units; quoted constructs are skipped with
 * indexOf, so the cost is linear in the input length.
 */

export interface SqlStatement {
  /** Offset (UTF-16 index into the input) of the statement's first token, after leading whitespace and comments. */
  readonly start: number;
  /** Offset just past the statement's last token, NOT including the terminating semicolon. */
  readonly end: number;
  /** input.slice(start, end) */
  readonly text: string;
  /** The first up-to-three words of the statement, uppercased and joined by single spaces, comments skipped. */
  readonly head: string;
}

export interface LexProblem {
  readonly kind: 'unterminated-string' | 'unterminated-identifier' | 'unterminated-dollar-quote' | 'unterminated-comment';
  /** Offset where the unterminated construct starts. */
  readonly offset: number;
  /** e.g. 'unterminated dollar-quoted string $body$' — lower case, no trailing period. */
  readonly message: string;
}

export interface LexResult {
  readonly statements: readonly SqlStatement[];
  readonly problem?: LexProblem;
  /** Offsets of lines that start (after optional spaces) with a backslash at top level: psql meta-commands. */
  readonly metaCommands: readonly number[];
}

// Character classes follow PostgreSQL's scan.l. The server lexes bytes and
// treats every byte >= 0x80 as an identifier character; every UTF-16 code unit
// >= 0x80 comes from such bytes, so testing the code unit gives the same answer.
export const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
/** Identifier continuation, which in PostgreSQL includes `$` (so `foo$bar$` is one identifier). */
export const isIdentChar = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 36;
/** Dollar-quote tags are like identifiers but without `$`. */
const isTagChar = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** Index of the end of a `--` comment or psql meta-command line: the next \n or \r (not consumed). */
export function skipToLineEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** Index just past the block comment opening at `i`, or -1 if unterminated. Block comments nest in PostgreSQL. */
export function skipBlockComment(s: string, i: number): number {
  let depth = 1;
  let j = i + 2;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    const d = s.charCodeAt(j + 1);
    if (c === 47 && d === 42) {
      depth++;
      j += 2;
    } else if (c === 42 && d === 47) {
      j += 2;
      if (--depth === 0) return j;
    } else {
      j++;
    }
  }
  return -1;
}

/** Index just past a quoted token whose quote char is doubled to escape it ('...' or "..."), or -1. */
function skipDoubledQuote(s: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf(quote, j);
    if (q < 0) return -1;
    if (s[q + 1] !== quote) return q + 1;
    j = q + 2;
  }
}

/** Index just past an E'...' string opening at `i` (the E), or -1. Backslash escapes the next character. */
function skipEscapeString(s: string, i: number): number {
  let j = i + 2;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c !== 39) j++;
    else if (s.charCodeAt(j + 1) === 39) j += 2;
    else return j + 1;
  }
  return -1;
}

/** The line holding `i` has only spaces and tabs before it. */
function atLineStart(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j--;
  return j < 0 || s.charCodeAt(j) === 10;
}

/** psql's heuristic for statements that may contain `BEGIN ... END` bodies: CREATE [OR REPLACE] {FUNCTION|PROCEDURE}. */
function isRoutineLead(lead: readonly string[]): boolean {
  const routine = (w: string | undefined): boolean => w === 'FUNCTION' || w === 'PROCEDURE';
  return lead[0] === 'CREATE' && (routine(lead[1]) || (lead[1] === 'OR' && lead[2] === 'REPLACE' && routine(lead[3])));
}

/** What a token is, as psql's scanner and the server's read it. */
export type SqlTokenKind =
  | 'space'
  | 'comment'
  /** A line starting with a backslash: a psql meta-command, which the server never sees. */
  | 'meta'
  | 'word'
  | 'quoted-identifier'
  | 'string'
  | 'dollar-string'
  | 'number'
  /** `$1` */
  | 'parameter'
  /** Any other single character: an operator character or punctuation. */
  | 'char';

/** Called for each token with its kind and [start, end) offsets; returning false stops the scan. */
export type TokenSink = (kind: SqlTokenKind, start: number, end: number) => boolean | void;

/**
 * The one scanner of SQL text: reads `sql` token by token as PostgreSQL's
 * lexer (scan.l) and psql's (psqlscan.l) do, and hands each token to
 * `sink`. The statement splitter, statement kinds and repair's comparison
 * of texts all read this stream. Returns the problem of a construct left
 * open (a quote, a comment), or undefined. `standardStrings: false` reads
 * '...' as the server does with standard_conforming_strings off.
 */
export function scanSql(sql: string, sink: TokenSink, options: { readonly standardStrings?: boolean } = {}): LexProblem | undefined {
  const standardStrings = options.standardStrings !== false;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1); // NaN past the end, which matches nothing
    let kind: SqlTokenKind;
    let j: number;
    if (isSpace(c)) {
      j = i + 1;
      while (j < n && isSpace(sql.charCodeAt(j))) j++;
      kind = 'space';
    } else if (c === 45 && next === 45) {
      j = skipToLineEnd(sql, i);
      kind = 'comment';
    } else if (c === 47 && next === 42) {
      j = skipBlockComment(sql, i);
      if (j < 0) return { kind: 'unterminated-comment', offset: i, message: 'unterminated /* comment' };
      kind = 'comment';
    } else if (c === 92 && atLineStart(sql, i)) {
      // psql would run the rest of the line itself; the server never sees it.
      j = skipToLineEnd(sql, i);
      kind = 'meta';
    } else if ((c === 69 || c === 101) && next === 39) {
      j = skipEscapeString(sql, i);
      if (j < 0) return { kind: 'unterminated-string', offset: i, message: 'unterminated quoted string' };
      kind = 'string';
    } else if (isIdentStart(c)) {
      j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
      kind = 'word';
    } else if (c === 39) {
      j = standardStrings ? skipDoubledQuote(sql, i, "'") : skipEscapeString(sql, i - 1);
      if (j < 0) return { kind: 'unterminated-string', offset: i, message: 'unterminated quoted string' };
      kind = 'string';
    } else if (c === 34) {
      j = skipDoubledQuote(sql, i, '"');
      if (j < 0) return { kind: 'unterminated-identifier', offset: i, message: 'unterminated quoted identifier' };
      kind = 'quoted-identifier';
    } else if (c === 36) {
      // $tag$ or $$ opens a dollar quote; $1 is a parameter; anything else is a lone `$`.
      j = i + 1;
      if (isIdentStart(next)) while (j < n && isTagChar(sql.charCodeAt(j))) j++;
      if (sql.charCodeAt(j) === 36) {
        const delimiter = sql.slice(i, j + 1);
        const close = sql.indexOf(delimiter, j + 1);
        if (close < 0) {
          return { kind: 'unterminated-dollar-quote', offset: i, message: `unterminated dollar-quoted string ${delimiter}` };
        }
        j = close + delimiter.length;
        kind = 'dollar-string';
      } else {
        j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        kind = j > i + 1 ? 'parameter' : 'char';
      }
    } else if (isDigit(c)) {
      j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      kind = 'number';
    } else {
      j = i + 1;
      kind = 'char';
    }
    if (sink(kind, i, j) === false) return undefined;
    i = j;
  }
  return undefined;
}

/**
 * Splits SQL into statements, as psql does: at a `;` outside parentheses
 * and outside a CREATE FUNCTION/PROCEDURE's BEGIN … END body.
 * `standardStrings: false` reads '...' as the server does with
 * standard_conforming_strings off (a backslash escapes the next character),
 * to see whether a statement would split differently.
 */
export function lexSql(sql: string, options: { readonly standardStrings?: boolean } = {}): LexResult {
  const statements: SqlStatement[] = [];
  const metaCommands: number[] = [];

  // State of the statement being scanned; reset by flush().
  let start = -1; // first token, or -1 while only whitespace/comments were seen
  let end = 0; // just past the last token
  let lead: string[] = []; // leading words, up to 4 (enough for CREATE OR REPLACE FUNCTION)
  let leadOpen = true; // false once a non-word token has been seen
  let routine = false;
  let parenDepth = 0;
  let beginDepth = 0;

  const flush = (): void => {
    if (start >= 0) {
      statements.push({ start, end, text: sql.slice(start, end), head: lead.slice(0, 3).join(' ') });
    }
    start = -1;
    lead = [];
    leadOpen = true;
    routine = false;
    parenDepth = 0;
    beginDepth = 0;
  };

  const problem = scanSql(
    sql,
    (kind, i, j) => {
      if (kind === 'space' || kind === 'comment') return;
      if (kind === 'meta') {
        metaCommands.push(i);
        return;
      }
      const c = sql.charCodeAt(i);
      if (kind === 'char' && c === 59 && parenDepth === 0 && beginDepth === 0) {
        flush();
        return;
      }
      if (kind === 'word') {
        if (leadOpen && lead.length < 4) {
          lead.push(sql.slice(i, j).toUpperCase());
          routine = isRoutineLead(lead);
        }
        // Like psql, only words outside parentheses count, so a column named "end" is harmless.
        if (routine && parenDepth === 0 && j - i <= 5) {
          const word = sql.slice(i, j).toLowerCase();
          if (word === 'begin') beginDepth++;
          else if (word === 'case' && beginDepth > 0)
            beginDepth++; // CASE ... END inside a body
          else if (word === 'end' && beginDepth > 0) beginDepth--;
        }
      } else {
        leadOpen = false;
        if (c === 40) parenDepth++;
        else if (c === 41 && parenDepth > 0) parenDepth--;
      }
      if (start < 0) start = i;
      end = j;
    },
    options,
  );
  if (problem) return { statements, problem, metaCommands };
  flush();
  return { statements, metaCommands };
}
