import type { ConnectionInput } from './connection-info.js';
import { openSession } from './pg-client.js';

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
