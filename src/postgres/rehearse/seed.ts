/**
 * Fills the base's tables a migration touches with synthetic rows, one
 * server-side `INSERT … SELECT … FROM generate_series` per table, parents
 * before children (a foreign key takes its parent's existing keys), and
 * empties them again afterwards. Only tables the base left empty are
 * seeded, so that emptying them gives back the base's data exactly; what
 * cannot be seeded is named with the reason.
 */
import { quoteIdent } from '../../core/identifier.js';
import type { DbClient } from '../../core/ports.js';
import { columnName, valueOf, type SeedColumn } from './seed-values.js';

/** A table to seed: its oid, name (`schema.table`), quoted name, and the tables it references. */
export interface SeedTable {
  readonly oid: number;
  readonly name: string;
  readonly sql: string;
  readonly parents: readonly number[];
}

export interface SeedPlan {
  /** The touched tables, as seeded: a partition's partitioned table stands for it. */
  readonly roots: readonly number[];
  /** Parents first. */
  readonly tables: readonly SeedTable[];
  readonly notSeeded: { table: string; reason: string }[];
}

const TABLES = `
SELECT c.oid::int8 AS oid, n.nspname || '.' || c.relname AS name,
       pg_catalog.format('%I.%I', n.nspname, c.relname) AS sql,
       ARRAY(SELECT DISTINCT f.confrelid::int8 FROM pg_catalog.pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f') AS parents,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x WHERE x.conrelid = c.oid AND x.contype = 'x') AS exclusion
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.oid = ANY($1::oid[]) AND c.relkind IN ('r', 'p')`;

/**
 * The tables to seed for `touched` (oids of base tables; partitions stand
 * for their partitioned table) and the parents they need, parents first;
 * tables with rows of the base's, or an exclusion constraint, are not seeded.
 */
export async function planSeed(client: DbClient, touched: readonly number[]): Promise<SeedPlan> {
  const roots = await client.query<{ oid: string }>(
    `SELECT DISTINCT COALESCE(pg_catalog.pg_partition_root(r.oid), r.oid)::int8 AS oid FROM pg_catalog.unnest($1::oid[]) AS r(oid)`,
    [touched],
  );
  const byOid = new Map<number, SeedTable & { exclusion: boolean }>();
  let wanted = roots.rows.map((r) => Number(r.oid));
  const notSeeded: { table: string; reason: string }[] = [];
  const full = new Set<number>();
  // The touched tables, then their parents' parents, as far as they go.
  while (wanted.length > 0) {
    const { rows } = await client.query<{ oid: string; name: string; sql: string; parents: string[]; exclusion: boolean }>(TABLES, [
      wanted,
    ]);
    wanted = [];
    for (const r of rows) {
      const table = { oid: Number(r.oid), name: r.name, sql: r.sql, parents: r.parents.map(Number), exclusion: r.exclusion };
      byOid.set(table.oid, table);
      const has = await client.query<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table.sql}) AS e`);
      if (has.rows[0]?.e) full.add(table.oid);
      for (const p of table.parents) if (!byOid.has(p) && !wanted.includes(p)) wanted.push(p);
    }
  }
  const tables: SeedTable[] = [];
  const placed = new Set<number>();
  const place = (t: SeedTable & { exclusion: boolean }, path: Set<number>) => {
    if (placed.has(t.oid) || path.has(t.oid)) return;
    path.add(t.oid);
    for (const p of t.parents) if (byOid.has(p)) place(byOid.get(p)!, path);
    placed.add(t.oid);
    if (full.has(t.oid)) {
      // Its rows are the base's: the children reference them as they are.
      if (roots.rows.some((r) => Number(r.oid) === t.oid)) notSeeded.push({ table: t.name, reason: 'it holds rows from the base' });
    } else if (t.exclusion) notSeeded.push({ table: t.name, reason: 'an exclusion constraint: synthetic rows cannot be made to meet it' });
    else tables.push({ oid: t.oid, name: t.name, sql: t.sql, parents: t.parents });
  };
  for (const t of byOid.values()) place(t, new Set());
  return { roots: roots.rows.map((r) => Number(r.oid)), tables, notSeeded };
}

const COLUMNS = `
SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       b.typname AS base, b.typcategory AS category, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
       e.typname AS elem, e.typcategory AS "elemCategory",
       a.attnotnull OR COALESCE(t.typnotnull, false) AS "notNull",
       a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS "serverFilled",
       CASE WHEN b.typtype = 'e' THEN ARRAY(SELECT l.enumlabel::text FROM pg_catalog.pg_enum l WHERE l.enumtypid = b.oid ORDER BY l.enumsortorder) END AS "enumLabels",
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k
              WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]) AS checks
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
  LEFT JOIN pg_catalog.pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
 WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

const FOREIGN_KEYS = `
SELECT ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(f.conkey) WITH ORDINALITY k(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(f.confkey) WITH ORDINALITY k(n, o) JOIN pg_catalog.pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.n ORDER BY k.o) AS keys,
       pg_catalog.format('%I.%I', n.nspname, c.relname) AS parent
  FROM pg_catalog.pg_constraint f JOIN pg_catalog.pg_class c ON c.oid = f.confrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE f.conrelid = $1 AND f.contype = 'f' ORDER BY f.conname`;

/** The INSERT that fills `table` with `rows` rows: each column its synthetic value, a foreign key's columns one existing parent row's key. */
export async function seedStatement(client: DbClient, table: SeedTable, rows: number): Promise<string> {
  const columns = (await client.query<SeedColumn>(COLUMNS, [table.oid])).rows;
  const fks = (await client.query<{ columns: string[]; keys: string[]; parent: string }>(FOREIGN_KEYS, [table.oid])).rows;
  const joins: string[] = [];
  const fromKey = new Map<string, string>();
  fks.forEach((fk, k) => {
    const alias = `f${k}`;
    const ordered = fk.keys.map((k) => quoteIdent(k)).join(', ');
    const aggregates = fk.keys.map((key, j) => `pg_catalog.array_agg(${quoteIdent(key)} ORDER BY ${ordered}) AS c${j}`);
    const present = fk.keys.map((key) => `${quoteIdent(key)} IS NOT NULL`).join(' AND ');
    joins.push(`CROSS JOIN (SELECT ${aggregates.join(', ')} FROM ${fk.parent} WHERE ${present}) AS ${alias}`);
    fk.columns.forEach((column, j) => {
      if (!fromKey.has(column)) fromKey.set(column, `${alias}.c${j}[1 + (g.i % pg_catalog.cardinality(${alias}.c${j}))::int4]`);
    });
  });
  const filled = columns.filter((c) => fromKey.has(c.name) || !c.serverFilled);
  const values = filled.map((c) => (fromKey.has(c.name) ? fromKey.get(c.name)! : valueOf(c)));
  const list = filled.map(columnName).join(', ');
  const select = filled.length === 0 ? 'SELECT' : `SELECT ${values.join(', ')}`;
  const into = filled.length === 0 ? `${table.sql}` : `${table.sql} (${list})`;
  return `INSERT INTO ${into} ${select} FROM pg_catalog.generate_series(1, ${Math.floor(rows)}) AS g(i) ${joins.join(' ')}`;
}
