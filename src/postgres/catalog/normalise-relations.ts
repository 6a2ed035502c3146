/**
 * The relation half of the document → model step: tables, views and the
 * like, with their columns (in position order), constraints, indexes,
 * triggers, policies and rules gathered under each.
 */
import type * as M from '../../schema/model.js';
import type { RawDocument } from './normalise.js';
import {
  CONSTRAINT_TYPES,
  FIRING,
  PERSISTENCE,
  bool,
  byName,
  code,
  grants,
  num,
  opt,
  ordered,
  owned,
  rows,
  sortedList,
  str,
} from '../../schema/raw.js';
import type { Row } from '../../schema/raw.js';

const RELATION_KINDS = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' } as const;
const REPLICA_IDENTITY = { d: 'default', n: 'nothing', f: 'full', i: 'index' } as const;
const STORAGE = { p: 'plain', e: 'external', x: 'extended', m: 'main' } as const;
const COMPRESSION = { p: 'pglz', l: 'lz4' } as const;
const POLICY_COMMANDS = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' } as const;

/** Rows of one class grouped by the relation (`rel`) they belong to. */
function byRelation<T extends { readonly name: string }>(raw: unknown, what: string, make: (r: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rows(raw, what)) {
    const rel = str(r, 'rel');
    const group = groups.get(rel) ?? [];
    group.push(make(r));
    groups.set(rel, group);
  }
  for (const group of groups.values()) group.sort(byName);
  return groups;
}

function column(r: Row): M.Column {
  const identity = opt(r, 'identity');
  const generated = opt(r, 'generated');
  const storage = opt(r, 'storage');
  const compression = opt(r, 'compression');
  return {
    name: str(r, 'name'),
    position: num(r, 'position') ?? 0,
    attnum: num(r, 'attnum') ?? 0,
    type: str(r, 'type'),
    notNull: bool(r, 'notNull'),
    default: opt(r, 'default'),
    identity: identity === null ? null : identity === 'a' ? 'always' : 'by default',
    generated: generated === null ? null : generated === 'v' ? 'virtual' : 'stored',
    collation: opt(r, 'collation'),
    storage: storage === null ? null : code(STORAGE, storage),
    compression: compression === null ? null : code(COMPRESSION, compression),
    statisticsTarget: num(r, 'statisticsTarget'),
    options: sortedList(r, 'options'),
    fdwOptions: sortedList(r, 'fdwOptions'),
    grants: grants(r),
    comment: opt(r, 'comment'),
  };
}

const constraint = (r: Row): M.Constraint => ({
  name: str(r, 'name'),
  type: code(CONSTRAINT_TYPES, str(r, 'type')),
  definition: str(r, 'definition'),
  validated: bool(r, 'validated'),
  deferrable: bool(r, 'deferrable'),
  deferred: bool(r, 'deferred'),
  comment: opt(r, 'comment'),
});

const index = (r: Row): M.Index => ({
  name: str(r, 'name'),
  definition: str(r, 'definition'),
  valid: bool(r, 'valid'),
  clustered: bool(r, 'clustered'),
  replicaIdentity: bool(r, 'replicaIdentity'),
  constraint: opt(r, 'constraint'),
  partitionOf: opt(r, 'partitionOf'),
  comment: opt(r, 'comment'),
});

const trigger = (r: Row): M.Trigger => ({
  name: str(r, 'name'),
  definition: str(r, 'definition'),
  enabled: code(FIRING, str(r, 'enabled')),
  comment: opt(r, 'comment'),
});

const policy = (r: Row): M.Policy => ({
  name: str(r, 'name'),
  command: code(POLICY_COMMANDS, str(r, 'command')),
  permissive: bool(r, 'permissive'),
  roles: sortedList(r, 'roles'),
  using: opt(r, 'using'),
  withCheck: opt(r, 'withCheck'),
  comment: opt(r, 'comment'),
});

const rule = (r: Row): M.Rule => ({
  name: str(r, 'name'),
  definition: str(r, 'definition'),
  enabled: code(FIRING, str(r, 'enabled')),
  comment: opt(r, 'comment'),
});

/** Tables, views and the like, each with what hangs off it, in the query's order. */
export function relations(doc: RawDocument): M.Relation[] {
  const columns = byRelation(doc.columns, 'columns', column);
  const constraints = byRelation(doc.constraints, 'constraints', constraint);
  const indexes = byRelation(doc.indexes, 'indexes', index);
  const triggers = byRelation(doc.triggers, 'triggers', trigger);
  const policies = byRelation(doc.policies, 'policies', policy);
  const rules = byRelation(doc.rules, 'rules', rule);
  return rows(doc.relations, 'relations').map((r): M.Relation => {
    const name = str(r, 'name');
    return {
      name,
      kind: code(RELATION_KINDS, str(r, 'kind')),
      persistence: code(PERSISTENCE, str(r, 'persistence')),
      ...owned(r),
      rowSecurity: bool(r, 'rowSecurity'),
      forceRowSecurity: bool(r, 'forceRowSecurity'),
      options: sortedList(r, 'options'),
      replicaIdentity: code(REPLICA_IDENTITY, str(r, 'replicaIdentity')),
      accessMethod: opt(r, 'accessMethod'),
      tablespace: opt(r, 'tablespace'),
      definition: opt(r, 'definition'),
      partitionKey: opt(r, 'partitionKey'),
      partitionBound: opt(r, 'partitionBound'),
      parents: ordered(r, 'parents'),
      server: opt(r, 'server'),
      serverOptions: sortedList(r, 'serverOptions'),
      columns: (columns.get(name) ?? []).sort((a, b) => a.position - b.position),
      constraints: constraints.get(name) ?? [],
      indexes: indexes.get(name) ?? [],
      triggers: triggers.get(name) ?? [],
      policies: policies.get(name) ?? [],
      rules: rules.get(name) ?? [],
    };
  });
}
