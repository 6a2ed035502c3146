/**
 * What the rules' advice shares: the safe way written as migration files
 * in pgshift's own format (`-- UP` / `-- DOWN`, `-- pgshift:no-transaction`
 * where CONCURRENTLY or batches need one, numbered steps for
 * expand/contract changes), with the statement's real names.
 */
import type { ColumnDef } from './action.js';
import { readableName } from '../identifier.js';
import type { Advice } from './rule.js';

/** One migration file's text. */
export const migration = (up: string, down?: string, noTransaction = false): string =>
  `${noTransaction ? '-- pgshift:no-transaction\n' : ''}-- UP\n${up}\n${down ? `\n-- DOWN\n${down}\n` : ''}`;

/** One of several migration files of a fix, numbered. */
export const file = (n: number, title: string, body: string): string => `-- migration ${n}: ${title}\n${body}`;

export const WHOLE_TABLE = 'while the whole table is rewritten';

/** The last part of a qualified name: `sales.orders` → `orders`. */
export const last = (name: string): string => name.split('.').pop() ?? name;

/** `orders` as readable SQL, or `fallback` when the rule could not tell the table. */
export const tableOr = (table: string | undefined, fallback: string): string => (table ? readableName(table) : fallback);

/** A statement that rewrites the table under ACCESS EXCLUSIVE, with no online way in SQL. */
export const rewritesUnderLock = (what: string, table: string | undefined, instead: string): Advice => ({
  message: `${what} ${tableOr(table, 'the table')} rewrites it while holding ACCESS EXCLUSIVE: reads and writes wait until it is done.`,
  instead,
});

/** What to do about a rewrite that has no online form in SQL. */
export const NO_ONLINE_WAY = 'there is no online way: run it in a maintenance window, and acknowledge it here.';
/** What to do about a rewrite that a tool can do online instead. */
export const REBUILD_ONLINE =
  'use pg_repack (or pg_squeeze), which rebuild the table online, instead of a migration; or acknowledge it for a maintenance window.';

/** A no-transaction migration that changes rows in key ranges, each range committed on its own. */
export function batchFix(table: string, key: string, change: string, where: string | undefined): string {
  const k = readableName(key);
  const also = where ? ` AND (${where})` : '';
  return migration(
    [
      'DO $$',
      'DECLARE',
      '  low bigint;',
      '  high bigint;',
      'BEGIN',
      `  SELECT min(${k}), max(${k}) INTO low, high FROM ${table};`,
      '  WHILE low <= high LOOP',
      `    ${change} WHERE ${k} >= low AND ${k} < low + 10000${also};`,
      '    low := low + 10000;',
      '    COMMIT;',
      '  END LOOP;',
      'END $$;',
    ].join('\n'),
    undefined,
    true,
  );
}

/** ADD COLUMN as written without its constraints (CHECK, UNIQUE...): the first step of adding them safely. */
export function bareColumn(table: string, column: ColumnDef): string {
  const notNull = column.notNull && !column.identity ? ' NOT NULL' : '';
  const value = column.default !== undefined ? ` DEFAULT ${column.default}` : '';
  return `ALTER TABLE ${readableName(table)} ADD COLUMN ${readableName(column.name)} ${column.type}${notNull}${value};\n`;
}
