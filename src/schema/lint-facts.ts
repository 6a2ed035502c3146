import { parseStatement } from '../core/lint/parse.js';
import type { SchemaFacts, TableFacts } from '../core/lint/model.js';
import type { SchemaSnapshot } from './model.js';

/**
 * What the lint needs of a schema snapshot: each table's columns (type, NOT
 * NULL), the columns a validated CHECK proves not null, the primary key, and
 * each index's table and columns, named as the lint folds names (`orders`,
 * `sales.orders`). The catalog's definitions are read with the lint's own
 * statement parser, so both agree on what a CHECK or an index says.
 */
export function lintFacts(snapshot: SchemaSnapshot): SchemaFacts {
  const tables: Record<string, TableFacts> = {};
  const indexes: Record<string, { table: string; columns: readonly string[] }> = {};
  for (const r of snapshot.relations) {
    if (r.kind !== 'table') continue;
    const name = unquote(r.name);
    const checkedNotNull: string[] = [];
    let primaryKey: readonly string[] = [];
    for (const k of r.constraints) {
      const parsed = parseStatement(`ALTER TABLE t ADD ${k.definition}`);
      const action = parsed.kind === 'alter-table' ? parsed.actions[0] : undefined;
      if (action?.kind !== 'add-constraint') continue;
      if (k.type === 'check' && k.validated && action.constraint.notNullOf) checkedNotNull.push(action.constraint.notNullOf);
      if (k.type === 'primary key') primaryKey = action.constraint.columns;
    }
    tables[name] = {
      columns: Object.fromEntries(r.columns.map((c) => [unquote(c.name), { type: c.type, notNull: c.notNull }])),
      checkedNotNull,
      primaryKey,
    };
    for (const i of r.indexes) {
      const parsed = parseStatement(i.definition);
      if (parsed.kind === 'create-index') indexes[unquote(i.name)] = { table: name, columns: parsed.columns };
    }
  }
  return { tables, indexes };
}

/** `public."Order"` → `public.Order`; `orders` → `orders`: each part as the lint folds it. */
export function unquote(name: string): string {
  const parts: string[] = [];
  for (const m of name.matchAll(/"((?:[^"]|"")*)"|([^."]+)/g))
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
  return parts.join('.');
}
