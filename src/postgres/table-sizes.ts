import type { ConnectionInput } from './connection-info.js';
import { openSession } from './pg-client.js';
import type { DbClient } from '../core/ports.js';

/** A table's size from the catalog's estimates: rows (reltuples, -1 when never analysed) and bytes with its indexes and TOAST. */
export interface TableSize {
  readonly rows: number;
  readonly bytes: number;
}

const SIZES = `
SELECT n.nspname || '.' || c.relname AS name, c.reltuples::float8 AS rows, pg_catalog.pg_total_relation_size(c.oid)::int8 AS bytes
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/**
 * The size of every table of a database (`schema.table`, each part as the
 * catalog spells it), from the catalog's estimates, never by counting rows:
 * one read-only query on a short session.
 */
export async function tableSizes(connection: ConnectionInput): Promise<Map<string, TableSize>> {
  const sizes = new Map<string, TableSize>();
  const session = await openSession(connection, { statementTimeoutMs: 5000, lockTimeoutMs: 1000, readOnly: true });
  try {
    const { rows } = await session.client.query<{ name: string; rows: number; bytes: string }>(SIZES);
    for (const r of rows) sizes.set(r.name, { rows: Number(r.rows), bytes: Number(r.bytes) });
  } finally {
    await session.close();
  }
  return sizes;
}

/** A table as a finding names it: `orders` (found through the session's search_path) or `sales.orders`, each part as the catalog spells it. */
export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

const SIZES_OF = `
SELECT t.i::int AS i, n.nspname || '.' || c.relname AS name, c.reltuples::float8 AS rows, pg_catalog.pg_total_relation_size(c.oid)::int8 AS bytes
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema, name, i)
  JOIN pg_catalog.pg_class c
    ON c.oid = pg_catalog.to_regclass(CASE WHEN t.schema IS NULL THEN '' ELSE pg_catalog.quote_ident(t.schema) || '.' END || pg_catalog.quote_ident(t.name))
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm')`;

/**
 * The catalog's estimates for the tables named, on a session the caller
 * holds (an unqualified name is found as a statement would find it, through
 * the session's search_path): `schema.table` with its size, in the order
 * asked, a table that is not there left out. One query.
 */
export async function sizesOf<T extends TableRef>(
  client: DbClient,
  tables: readonly T[],
): Promise<readonly (TableSize & { readonly ref: T; readonly table: string })[]> {
  if (tables.length === 0) return [];
  const { rows } = await client.query<{ i: number; name: string; rows: number; bytes: string }>(SIZES_OF, [
    tables.map((t) => t.schema ?? null),
    tables.map((t) => t.name),
  ]);
  return rows
    .sort((a, b) => a.i - b.i)
    .map((r) => ({ ref: tables[r.i - 1]!, table: r.name, rows: Number(r.rows), bytes: Number(r.bytes) }));
}
