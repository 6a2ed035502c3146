import { quoteIdent } from './identifier.js';
import { problem, type Problem } from './problem.js';

/** The tracking table's name, checked, folded and ready to quote. */
export interface TableName {
  readonly schema?: string;
  readonly table: string;
  /** `schema.table` or `table`, as users wrote it (folded to lower case). */
  readonly display: string;
  /** The quoted form to put in SQL: `"ops"."migrations"`. */
  readonly sql: string;
}

const PART = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** PostgreSQL truncates identifiers longer than 63 bytes (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Parses `table` or `schema.table`. Parts are plain identifiers, folded to
 * lower case as PostgreSQL folds unquoted names, so pgshift finds the same
 * table pycopg made from the same setting. Anything else is refused up front.
 */
export function parseTableName(raw: string): TableName | Problem {
  const parts = raw.split('.');
  const bad = (why: string) =>
    problem('INVALID_TABLE_NAME', `invalid tracking table name ${JSON.stringify(raw)}: ${why}`, {
      hint: 'give the tracking table a plain name such as schema_migrations, or schema.table such as ops.schema_migrations',
      settings: ['table'],
    });
  if (parts.length > 2) return bad('at most one dot (schema.table)');
  for (const part of parts) {
    if (!PART.test(part)) return bad('each part must start with a letter or underscore and hold only letters, digits, _ and $');
    if (new TextEncoder().encode(part).length > MAX_IDENTIFIER_BYTES) {
      return bad(`"${part}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-character limit`);
    }
  }
  const folded = parts.map((p) => p.toLowerCase());
  const [first, second] = folded;
  if (first === undefined) return bad('empty');
  const schema = second === undefined ? undefined : first;
  const table = second ?? first;
  return {
    ...(schema !== undefined && { schema }),
    table,
    display: folded.join('.'),
    sql: folded.map((part) => quoteIdent(part)).join('.'),
  };
}

/**
 * The table with its schema as the server resolved it once, at the start of
 * a run: every later statement names it schema-qualified, so a migration's
 * `SET search_path` cannot send the tracking writes to another table.
 */
export function qualify(table: TableName, schema: string): TableName {
  return { ...table, schema, sql: `${quoteIdent(schema)}.${quoteIdent(table.table)}` };
}
