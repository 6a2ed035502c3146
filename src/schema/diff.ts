/**
 * Comparing two snapshots: objects matched by kind and name (a constraint
 * re-created under another name is a drop and an add: a later DROP
 * CONSTRAINT by name would break), then field by field, then owner, grants
 * and comment, then column order on its own. A column is also matched by
 * its catalog number, when no column of its name is on the other side: a
 * rename, said as a change of its `name`.
 */
import { KIND_ORDER, type FieldChange, type SchemaChange } from './changes.js';
import { flatten, type Node } from './flatten.js';
import type { Column, Grant, SchemaSnapshot } from './model.js';
import { byText } from './raw.js';

/** Identity: kind, parent and name (and for the catch-all its type: a text search parser and a configuration may share a name). */
const key = (n: Node): string => `${n.kind}\u0000${n.objectType ?? ''}\u0000${n.parent?.name ?? ''}\u0000${n.name}`;

function about(n: Node) {
  return {
    name: n.name,
    ...(n.parent && { parent: n.parent }),
    ...(n.local !== undefined && { local: n.local }),
    ...(n.objectType !== undefined && { objectType: n.objectType }),
  };
}

/** Values are plain JSON built in a fixed key order, so their text compares them. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function fieldChanges(before: Node, after: Node): FieldChange[] {
  const fields = [...new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])];
  return fields
    .filter((f) => !same(before.fields[f] ?? null, after.fields[f] ?? null))
    .map((field) => ({ field, before: before.fields[field] ?? null, after: after.fields[field] ?? null }));
}

const grantKey = (g: Grant): string => `${g.grantee}\u0000${g.privilege}\u0000${g.grantable}`;

function grantChanges(before: Node, after: Node, out: SchemaChange[]): void {
  const base = { ...about(after), kind: 'grant' as const, on: after.kind };
  const compare = (was: readonly Grant[], now: readonly Grant[], byDefault: boolean) => {
    const wasKeys = new Set(was.map(grantKey));
    const nowKeys = new Set(now.map(grantKey));
    // For `revoked` lists, appearing means the privilege is gone, so added and dropped swap.
    const [gone, came] = byDefault ? (['added', 'dropped'] as const) : (['dropped', 'added'] as const);
    for (const g of was) if (!nowKeys.has(grantKey(g))) out.push({ ...base, change: gone, grant: g, byDefault });
    for (const g of now) if (!wasKeys.has(grantKey(g))) out.push({ ...base, change: came, grant: g, byDefault });
  };
  compare(before.grants ?? [], after.grants ?? [], false);
  compare(before.revoked ?? [], after.revoked ?? [], true);
}

function aspectChanges(before: Node, after: Node, out: SchemaChange[]): void {
  const base = { ...about(after), on: after.kind };
  if (after.comment !== undefined && (before.comment ?? null) !== after.comment) {
    const was = before.comment ?? null;
    const change = was === null ? 'added' : after.comment === null ? 'dropped' : 'changed';
    out.push({ ...base, kind: 'comment', change, before: was, after: after.comment });
  }
  if (before.owner !== undefined && after.owner !== undefined && before.owner !== after.owner) {
    out.push({ ...base, kind: 'owner', change: 'changed', before: before.owner, after: after.owner });
  }
  grantChanges(before, after, out);
}

/**
 * Only the relative order of the columns both sides have: a column added at
 * the end is an added column, not an order change; `a` dropped and added
 * again, now last, is.
 */
function orderChange(before: Node, after: Node, out: SchemaChange[]): void {
  if (!before.columnOrder || !after.columnOrder) return;
  const inBoth = (names: readonly string[], other: readonly string[]) => names.filter((n) => other.includes(n));
  if (same(inBoth(before.columnOrder, after.columnOrder), inBoth(after.columnOrder, before.columnOrder))) return;
  out.push({ ...about(after), kind: 'order', change: 'changed', on: after.kind, before: before.columnOrder, after: after.columnOrder });
}

const attnumOf = (n: Node): number | undefined => (n.kind === 'column' ? (n.object as Column).attnum : undefined);

/**
 * The columns renamed between `was` and `now` (the children of one table):
 * one gone from it and one new in it with the same attnum, which RENAME
 * COLUMN keeps and ADD COLUMN never reuses. By the new column's key, the
 * old column. Both snapshots come from databases built by the same SQL up
 * to the base, so their numbers agree; a table dropped and created again
 * under its name in between may number a new column as an old one was.
 */
function renames(was: ReadonlyMap<string, Node>, now: ReadonlyMap<string, Node>): Map<string, Node> {
  const gone = new Map<number, Node>();
  for (const [k, n] of was) {
    const attnum = attnumOf(n);
    if (attnum !== undefined && attnum > 0 && !now.has(k)) gone.set(attnum, n);
  }
  const pairs = new Map<string, Node>();
  for (const [k, n] of now) {
    const old = gone.get(attnumOf(n) ?? 0);
    if (old && !was.has(k)) pairs.set(k, old);
  }
  return pairs;
}

function compare(before: readonly Node[], after: readonly Node[], out: SchemaChange[]): void {
  const was = new Map(before.map((n) => [key(n), n]));
  const now = new Map(after.map((n) => [key(n), n]));
  const renamed = renames(was, now);
  const kept = new Set(renamed.values());
  for (const [k, n] of was) if (!now.has(k) && !kept.has(n)) out.push({ ...about(n), kind: n.kind, change: 'dropped', object: n.object });
  for (const [k, n] of now) {
    const old = was.get(k) ?? renamed.get(k);
    if (!old) {
      out.push({ ...about(n), kind: n.kind, change: 'added', object: n.object });
      continue;
    }
    const name = old.local !== n.local ? [{ field: 'name', before: old.local ?? old.name, after: n.local ?? n.name }] : [];
    const fields = [...name, ...fieldChanges(old, n)];
    if (fields.length > 0) out.push({ ...about(n), kind: n.kind, change: 'changed', fields });
    orderChange(old, n, out);
    aspectChanges(old, n, out);
    compare(old.children, n.children, out);
  }
}

const CHANGE_ORDER = ['dropped', 'added', 'changed'];

function detail(c: SchemaChange): string {
  return c.kind === 'grant' ? grantKey(c.grant) : '';
}

/** Sorted by kind (KIND_ORDER), then name, then dropped before added before changed. */
export function compareChanges(a: SchemaChange, b: SchemaChange): number {
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    byText(a.name, b.name) ||
    byText(a.parent?.name ?? '', b.parent?.name ?? '') ||
    CHANGE_ORDER.indexOf(a.change) - CHANGE_ORDER.indexOf(b.change) ||
    byText(detail(a), detail(b))
  );
}

/**
 * What differs from `before` to `after`: one entry per object added,
 * dropped or changed, and per comment, owner, grant and column order that
 * changed. Equal snapshots give an empty list. An added or dropped table is
 * one change (its columns are in `object`), not one per column.
 *
 * @example
 * const changes = diffSchemas(beforeUp, afterDown);
 * if (changes.some((c) => c.kind !== 'order')) fail(describeRestoreDifference(changes));
 */
export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot): SchemaChange[] {
  const out: SchemaChange[] = [];
  compare(flatten(before), flatten(after), out);
  return out.sort(compareChanges);
}
