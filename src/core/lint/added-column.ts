/**
 * What ADD COLUMN does to the rows a table already has, one answer per
 * column: several rules read it (stored generated and identity columns are
 * computed for every row, a volatile default is evaluated per row, a
 * constant one is stored once since PostgreSQL 11, NOT NULL without a
 * default fails on the first row).
 */
import type { ColumnDef } from './parse.js';

export type ColumnAddition = 'stored-generated' | 'identity' | 'required' | 'nullable' | 'volatile-default' | 'constant-default';

/** What adding `column` does to old rows; the first of PostgreSQL's concerns that applies. */
export function columnAddition(column: ColumnDef): ColumnAddition {
  if (column.generatedStored) return 'stored-generated';
  if (column.identity) return 'identity';
  if (column.default === undefined || /^null$/i.test(column.default)) return column.notNull ? 'required' : 'nullable';
  return isVolatile(column.default) ? 'volatile-default' : 'constant-default';
}

const VOLATILE = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'nextval',
  'uuidv4',
  'uuidv7',
  'setseed',
  'txid_current',
  'pg_current_xact_id',
]);

/** A default calls a volatile function: every row gets its own value, so the table is rewritten. */
export function isVolatile(expression: string): boolean {
  for (const m of expression.matchAll(/([A-Za-z_][\w$]*)\s*\(/g)) if (VOLATILE.has(m[1]!.toLowerCase())) return true;
  return false;
}
