/**
 * What kind of statement the lexer found, as far as pgshift must know before
 * running it: one that controls the transaction, or one PostgreSQL refuses
 * inside a transaction block.
 */
import { scanSql, type SqlStatement } from './sql-lexer.js';

/** True for statements that control the transaction: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED. */
export function isTransactionControl(statement: SqlStatement): boolean {
  const [first, second] = statement.head.split(' ');
  switch (first) {
    case 'BEGIN':
      return second !== 'ATOMIC'; // a stray function body is not a transaction command
    case 'START':
    case 'PREPARE': // PREPARE name AS ... is an ordinary prepared statement
      return second === 'TRANSACTION';
    case 'COMMIT':
    case 'END':
    case 'ROLLBACK':
    case 'ABORT':
    case 'SAVEPOINT':
    case 'RELEASE':
      return true;
    default:
      return false;
  }
}

/**
 * The first `max` words of a statement's text, uppercased. Comments, parentheses and
 * commas are skipped so that option lists like `REINDEX (VERBOSE) ...` are readable;
 * stops at any other non-word token.
 */
function leadingWords(text: string, max: number): string[] {
  const words: string[] = [];
  scanSql(text, (kind, start, end) => {
    if (kind === 'space' || kind === 'comment') return true;
    if (kind === 'char' && '(),'.includes(text[start]!)) return true;
    if (kind !== 'word') return false;
    words.push(text.slice(start, end).toUpperCase());
    return words.length < max;
  });
  return words;
}

/** True for statements PostgreSQL refuses inside a transaction block. */
export function needsNoTransaction(statement: SqlStatement): boolean {
  const words = leadingWords(statement.text, 8);
  const w = (k: number): string => words[k] ?? '';
  switch (w(0)) {
    case 'VACUUM':
      return true;
    case 'CREATE': {
      const index = w(1) === 'UNIQUE' ? 2 : 1;
      // A subscription makes its replication slot unless told not to, which no transaction block allows.
      if (w(1) === 'SUBSCRIPTION') return !/\bcreate_slot\s*=\s*(false|off|0)\b/i.test(statement.text);
      return (w(index) === 'INDEX' && w(index + 1) === 'CONCURRENTLY') || w(1) === 'DATABASE' || w(1) === 'TABLESPACE';
    }
    case 'DROP':
      return (w(1) === 'INDEX' && w(2) === 'CONCURRENTLY') || ['DATABASE', 'TABLESPACE', 'SUBSCRIPTION'].includes(w(1));
    case 'ALTER':
      if (w(1) === 'TABLE') return /\bDETACH\s+PARTITION\b[\s\S]*\bCONCURRENTLY\s*$/i.test(statement.text);
      // REFRESH PUBLICATION, and SET/ADD/DROP PUBLICATION, which refresh unless told not to.
      if (w(1) === 'SUBSCRIPTION')
        return /\b(REFRESH|SET|ADD|DROP)\s+PUBLICATION\b/i.test(statement.text) && !/\brefresh\s*=\s*(false|off|0)\b/i.test(statement.text);
      return w(1) === 'SYSTEM' || (w(1) === 'DATABASE' && w(3) === 'SET' && w(4) === 'TABLESPACE');
    case 'DISCARD':
      return w(1) === 'ALL';
    case 'CLUSTER':
      // Without a table, CLUSTER reclusters the whole database, which PostgreSQL refuses in a transaction block.
      return /^CLUSTER\s*(\(\s*VERBOSE[^)]*\)\s*)?(VERBOSE\s*)?$/i.test(statement.text);
    case 'REINDEX': {
      // REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name.
      // SCHEMA, DATABASE and SYSTEM always refuse a transaction block; so does CONCURRENTLY,
      // whether written after the kind or as an option (unless switched off: `CONCURRENTLY false`).
      const concurrently = words.indexOf('CONCURRENTLY');
      if (concurrently > 0 && !['FALSE', 'OFF'].includes(w(concurrently + 1))) return true;
      const kind = words.find((word) => ['INDEX', 'TABLE', 'SCHEMA', 'DATABASE', 'SYSTEM'].includes(word));
      return kind === 'SCHEMA' || kind === 'DATABASE' || kind === 'SYSTEM';
    }
    default:
      return false;
  }
}

/** `COPY ... FROM STDIN` waits for rows from the client, which pgshift has none of to send. */
export function readsFromClient(statement: SqlStatement): boolean {
  return leadingWords(statement.text, 1)[0] === 'COPY' && /\bFROM\s+STDIN\b/i.test(statement.text);
}

/**
 * Statements PostgreSQL allows only inside a transaction block: outside
 * `BEGIN ... COMMIT` in a no-transaction migration, where each statement
 * runs on its own, they fail (or, for SET LOCAL, do nothing).
 */
export function needsTransactionBlock(statement: SqlStatement): boolean {
  const [first = '', second = '', third = ''] = leadingWords(statement.text, 3);
  if (first === 'LOCK' || first === 'SAVEPOINT' || first === 'RELEASE') return true;
  if (first === 'ROLLBACK') return rollsBackToSavepoint(second, third);
  if (first === 'DECLARE') return /\bCURSOR\b/i.test(statement.text) && !/\bWITH\s+HOLD\b/i.test(statement.text);
  return first === 'SET' && second === 'LOCAL';
}

/** Where a statement leaves a no-transaction migration: inside a block it opened, or outside after one it closed. */
export function blockAfter(statement: Pick<SqlStatement, 'text'>, inBlock: boolean): boolean {
  const [first = '', second = '', third = ''] = leadingWords(statement.text, 3);
  if (first === 'BEGIN' || (first === 'START' && second === 'TRANSACTION')) return true;
  if (['COMMIT', 'END', 'ABORT'].includes(first) || (first === 'PREPARE' && second === 'TRANSACTION')) return false;
  if (first === 'ROLLBACK') return rollsBackToSavepoint(second, third) ? inBlock : false;
  return inBlock;
}

/** `ROLLBACK TO [SAVEPOINT] x`, `ROLLBACK TRANSACTION TO x`, `ROLLBACK WORK TO x`: the block goes on. */
const rollsBackToSavepoint = (second: string, third: string): boolean =>
  second === 'TO' || ((second === 'TRANSACTION' || second === 'WORK') && third === 'TO');

/**
 * `RESET ALL` and `DISCARD ALL` undo what pgshift set for the run
 * (standard_conforming_strings, client_connection_check_interval; DISCARD
 * ALL also every advisory lock of the session): refused in the file check.
 */
export function resetsSession(statement: SqlStatement): boolean {
  const [first = '', second = ''] = leadingWords(statement.text, 2);
  return (first === 'RESET' || first === 'DISCARD') && second === 'ALL';
}

/**
 * `RESET search_path` and `SET [SESSION | LOCAL] search_path TO DEFAULT`:
 * back to the session's default search_path, which for a tenant's run on a
 * shared session is the server's, not the tenant's schema.
 */
export function resetsSearchPath(statement: { readonly sql: string }): boolean {
  return /^(?:RESET\s+"?search_path"?|SET\s+(?:SESSION\s+|LOCAL\s+)?"?search_path"?\s*(?:TO\b|=)\s*DEFAULT)\s*$/i.test(
    statement.sql.trim(),
  );
}

/** What lives outside a database, on the whole server: roles, databases, tablespaces, subscriptions' slots, ALTER SYSTEM. */
const SERVER_OBJECTS = new Set(['DATABASE', 'ROLE', 'USER', 'GROUP', 'TABLESPACE', 'SUBSCRIPTION']);

/**
 * A statement whose effect is on the server, not in the database it runs
 * in (`CREATE DATABASE`, `CREATE ROLE`, `ALTER SYSTEM`): run on a copy of a
 * database, it stays for everyone else on the server.
 */
export function changesTheServer(statement: Pick<SqlStatement, 'text'>): boolean {
  const [first = '', second = '', third = ''] = leadingWords(statement.text, 3);
  if (first === 'ALTER' && second === 'SYSTEM') return true;
  // A user mapping is the database's own.
  return ['CREATE', 'ALTER', 'DROP'].includes(first) && SERVER_OBJECTS.has(second) && !(second === 'USER' && third === 'MAPPING');
}
