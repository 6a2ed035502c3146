import type { SchemaFacts, TableFacts } from '../core/lint/model.js';
import type { SchemaSnapshot } from './model.js';

/**
 * What the lint needs of a schema snapshot: each table's columns (type, NOT
 * NULL), the columns a validated CHECK proves not null, the primary key, and
 * each index's table and columns, named as the lint folds names (`orders`,
 * `sales.orders`), with their sizes in production when given (`schema.table`
 * → rows and bytes, from tableSizes), and the routines' definitions, which the lint reads
 * for what a call of one runs. Definitions are read in the one form
 * PostgreSQL's catalog writes them (pg_get_constraintdef, pg_get_indexdef).
 */
export function lintFacts(
  snapshot: SchemaSnapshot,
  sizes: ReadonlyMap<string, { readonly rows: number; readonly bytes: number }> = new Map(),
): SchemaFacts {
  const tables: Record<string, TableFacts> = {};
  const indexes: Record<string, { table: string; columns: readonly string[] }> = {};
  for (const r of snapshot.relations) {
    if (r.kind !== 'table') continue;
    const name = unquote(r.name);
    const checkedNotNull: string[] = [];
    let primaryKey: readonly string[] = [];
    const uniqueKeys: (readonly string[])[] = [];
    for (const k of r.constraints) {
      const proves = k.type === 'check' && k.validated ? NOT_NULL_CHECK.exec(k.definition)?.[1] : undefined;
      if (proves) checkedNotNull.push(unquote(proves));
      if (k.type === 'primary key') primaryKey = columnList(k.definition);
    }
    const size = sizes.get(name) ?? sizes.get(`public.${name}`);
    tables[name] = {
      columns: Object.fromEntries(r.columns.map((c) => [unquote(c.name), { type: c.type, notNull: c.notNull }])),
      checkedNotNull,
      primaryKey,
      uniqueKeys,
      ...(r.partitionKey !== null && { partitioned: true }),
      ...(size && { rows: size.rows, bytes: size.bytes }),
    };
    for (const i of r.indexes) {
      const columns = columnList(i.definition);
      indexes[unquote(i.name)] = { table: name, columns };
      // A unique index on columns alone (a primary key's or a UNIQUE constraint's too) makes them a key; a partial one does not.
      if (/^CREATE UNIQUE INDEX /.test(i.definition) && !/\) WHERE /.test(i.definition) && columns.length === listLength(i.definition))
        uniqueKeys.push(columns);
    }
  }
  return { tables, indexes, routines: snapshot.routines.filter((f) => f.kind !== 'aggregate').map((f) => f.definition) };
}

const IDENTIFIER = String.raw`"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*`;
/** `CHECK ((note IS NOT NULL))`, as pg_get_constraintdef writes a check that a column is not null. */
const NOT_NULL_CHECK = new RegExp(`^CHECK \\(\\((${IDENTIFIER}) IS NOT NULL\\)\\)`);
/** A key element that is a column, as the catalog writes it: `"Code"`, `created_at DESC`, `email text_pattern_ops`. */
const COLUMN = new RegExp(`^(${IDENTIFIER})(?: |$)`);

/**
 * The columns of `PRIMARY KEY (a, b)` or of an index definition's first
 * parenthesised list (`... USING btree (a, lower(b))`), in order; an
 * expression has none.
 */
function columnList(definition: string): string[] {
  return listItems(definition).flatMap((item) => {
    const m = COLUMN.exec(item);
    return m ? [unquote(m[1]!)] : [];
  });
}

const listLength = (definition: string): number => listItems(definition).length;

/** The items of the first parenthesised list of a definition (after USING method, for an index). */
function listItems(definition: string): string[] {
  const open = definition.indexOf('(', definition.indexOf(' USING ') + 1);
  if (open < 0) return [];
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = open + 1;
  for (let i = open + 1; i < definition.length; i++) {
    const c = definition[i];
    if (c === '"' || c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if ((c === ')' && depth === 0) || (c === ',' && depth === 0)) {
      items.push(definition.slice(start, i).trim());
      start = i + 1;
      if (c === ')') break;
    } else if (c === ')') depth--;
  }
  return items;
}

/** `public."Order"` → `public.Order`; `orders` → `orders`: each part as the lint folds it. */
export function unquote(name: string): string {
  const parts: string[] = [];
  for (const m of name.matchAll(/"((?:[^"]|"")*)"|([^."]+)/g))
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
  return parts.join('.');
}
