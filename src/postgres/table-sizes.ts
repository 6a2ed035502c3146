import { readableName } from '../core/identifier.js';
import type { ConnectionInput } from './connection-info.js';
import { openSession } from './pg-client.js';

/** A table's size from the catalog's estimates: rows (reltuples, -1 when never analysed) and bytes with its indexes and TOAST. */
export interface TableSize {
  readonly rows: number;
  readonly bytes: number;
}

const SIZES = `
SELECT r.name, c.reltuples::float8 AS rows, pg_catalog.pg_total_relation_size(c.oid)::int8 AS bytes
  FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])) AS r(name, quoted)
  JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(r.quoted)`;

/**
 * The sizes of these tables (named as the lint names them) in a database,
 * from the catalog's estimates, never by counting rows: one read-only query
 * on a short session. Tables it does not have are left out.
 */
export async function tableSizes(connection: ConnectionInput, tables: readonly string[]): Promise<Map<string, TableSize>> {
  const sizes = new Map<string, TableSize>();
  if (tables.length === 0) return sizes;
  const session = await openSession(connection, { statementTimeoutMs: 5000, lockTimeoutMs: 1000, readOnly: true });
  try {
    const { rows } = await session.client.query<{ name: string; rows: number; bytes: string }>(SIZES, [tables, tables.map(readableName)]);
    for (const r of rows) sizes.set(r.name, { rows: Number(r.rows), bytes: Number(r.bytes) });
  } finally {
    await session.close();
  }
  return sizes;
}
