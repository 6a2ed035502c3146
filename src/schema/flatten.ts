/**
 * A snapshot as a list of comparable nodes: each object with its identity,
 * the fields that define it, its owner/grants/comment apart (they are
 * changes of their own), and the objects inside it (columns, constraints...)
 * as children, compared only when the object exists on both sides.
 */
import type { ObjectKind, ParentRef } from './changes.js';
import type { Grant, Owned, Relation, SchemaSnapshot, TypeEntry } from './model.js';

export interface Node {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly parent?: ParentRef;
  readonly local?: string;
  readonly objectType?: string;
  /** Compared field by field: everything that is not identity, owner, grants, comment or children. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly owner?: string;
  readonly grants?: readonly Grant[];
  readonly revoked?: readonly Grant[];
  /** Undefined when the object cannot carry a comment. */
  readonly comment?: string | null;
  readonly object: unknown;
  /** Column names in order, for tables and views. */
  readonly columnOrder?: readonly string[];
  readonly children: readonly Node[];
}

const ASPECTS = ['name', 'owner', 'grants', 'revoked', 'comment'];

/** `object` without identity, owner, grants, comment and the keys in `skip`. */
function fieldsOf(object: object, skip: readonly string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!ASPECTS.includes(key) && !skip.includes(key)) fields[key] = value;
  return fields;
}

function aspects(object: object & Partial<Owned>) {
  return {
    ...(object.owner !== undefined && { owner: object.owner }),
    ...(object.grants !== undefined && { grants: object.grants }),
    ...(object.revoked !== undefined && { revoked: object.revoked }),
    ...(object.comment !== undefined && { comment: object.comment }),
  };
}

/** The schema part of a qualified name, quotes and all: `public` of `public.orders`, `"a.b"` of `"a.b".t`. */
export function schemaOf(qualified: string): string {
  if (!qualified.startsWith('"')) return qualified.slice(0, Math.max(0, qualified.indexOf('.')));
  for (let i = 1; i < qualified.length; i++) {
    if (qualified[i] !== '"') continue;
    if (qualified[i + 1] === '"') i++;
    else return qualified.slice(0, i + 1);
  }
  return qualified;
}

function child(
  kind: ObjectKind,
  parent: ParentRef,
  item: { readonly name: string; readonly comment?: string | null },
  skip: readonly string[] = [],
): Node {
  // Index names are schema-qualified already; the rest live inside their parent.
  const local = kind === 'index' ? item.name.slice(schemaOf(item.name).length + 1) : item.name;
  const name = kind === 'index' ? item.name : `${parent.name}.${item.name}`;
  return { kind, name, parent, local, fields: fieldsOf(item, skip), ...aspects(item), object: item, children: [] };
}

function relation(r: Relation): Node {
  const parent = { kind: r.kind, name: r.name };
  return {
    kind: r.kind,
    name: r.name,
    fields: fieldsOf(r, ['kind', 'columns', 'constraints', 'indexes', 'triggers', 'policies', 'rules']),
    ...aspects(r),
    object: r,
    columnOrder: r.columns.map((c) => c.name),
    children: [
      // Position is compared as order among the columns both sides have, not one by one; attnum only pairs renames.
      ...r.columns.map((c) => child('column', parent, c, ['position', 'attnum'])),
      ...r.constraints.map((c) => child('constraint', parent, c)),
      ...r.indexes.map((i) => child('index', parent, i)),
      ...r.triggers.map((t) => child('trigger', parent, t)),
      ...r.policies.map((p) => child('policy', parent, p)),
      ...r.rules.map((x) => child('rule', parent, x)),
    ],
  };
}

function type(t: TypeEntry): Node {
  const domainConstraints = t.kind === 'domain' ? t.constraints : [];
  return {
    kind: 'type',
    name: t.name,
    fields: fieldsOf(t, ['constraints']),
    ...aspects(t),
    object: t,
    children: domainConstraints.map((c) => child('constraint', { kind: 'type', name: t.name }, c)),
  };
}

/** Every object of the snapshot as a top-level node with its children. */
export function flatten(s: SchemaSnapshot): Node[] {
  const plain = (kind: ObjectKind, item: { readonly name: string } & Partial<Owned>, skip: readonly string[] = []): Node => ({
    kind,
    name: item.name,
    fields: fieldsOf(item, skip),
    ...aspects(item),
    object: item,
    children: [],
  });
  return [
    ...s.schemas.map((x) => plain('schema', x)),
    ...s.extensions.map((x) => plain('extension', x)),
    ...s.relations.map(relation),
    ...s.sequences.map((x) => plain('sequence', x)),
    ...s.types.map(type),
    ...s.routines.map((x) => plain(x.kind, x, ['kind'])),
    ...s.eventTriggers.map((x) => plain('event trigger', x)),
    ...s.statistics.map((x) => plain('statistics', x)),
    ...s.defaultPrivileges.map((d): Node => ({
      kind: 'default privileges',
      name: `${d.objects} created by ${d.role}${d.schema === null ? '' : ` in schema ${d.schema}`}`,
      fields: {},
      grants: d.grants,
      revoked: d.revoked,
      object: d,
      children: [],
    })),
    ...s.others.map((o): Node => ({
      kind: 'other',
      name: o.identity,
      objectType: o.type,
      fields: {},
      comment: o.comment,
      object: o,
      children: [],
    })),
  ];
}
