/**
 * The query's document → the snapshot model: codes in words, every list
 * sorted (relations: normalise-relations.ts), and the excluded tables taken
 * out with all that exists only because of them.
 */
import type * as M from '../../schema/model.js';
import { relations } from './normalise-relations.js';
import type { RawClass } from './queries.js';
import {
  CONSTRAINT_TYPES,
  FIRING,
  PERSISTENCE,
  bool,
  byName,
  byText,
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

export type RawDocument = Readonly<Record<RawClass, unknown>>;

const ROUTINE_KINDS = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' } as const;
const DEFAULT_ACL_OBJECTS = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' } as const;

function sequence(r: Row): M.Sequence {
  const owner = r.ownedBy as Row | null;
  return {
    name: str(r, 'name'),
    type: str(r, 'type'),
    start: str(r, 'start'),
    increment: str(r, 'increment'),
    min: str(r, 'min'),
    max: str(r, 'max'),
    cache: str(r, 'cache'),
    cycle: bool(r, 'cycle'),
    ownedBy: owner ? `${str(owner, 'table')}.${str(owner, 'column')}` : null,
    identity: owner ? bool(owner, 'identity') : false,
    persistence: code(PERSISTENCE, str(r, 'persistence')),
    ...owned(r),
  };
}

function type(r: Row): M.TypeEntry {
  const common = { name: str(r, 'name'), ...owned(r) };
  switch (str(r, 'kind')) {
    case 'e':
      return { ...common, kind: 'enum', labels: ordered(r, 'labels') };
    case 'd':
      return {
        ...common,
        kind: 'domain',
        baseType: str(r, 'baseType'),
        default: opt(r, 'default'),
        notNull: bool(r, 'notNull'),
        collation: opt(r, 'collation'),
        constraints: rows(r.constraints ?? [], 'domain constraints')
          .map((k) => ({
            name: str(k, 'name'),
            type: code(CONSTRAINT_TYPES, str(k, 'type')),
            definition: str(k, 'definition'),
            validated: bool(k, 'validated'),
            comment: opt(k, 'comment'),
          }))
          .sort(byName),
      };
    case 'c':
      return {
        ...common,
        kind: 'composite',
        attributes: rows(r.attributes ?? [], 'attributes').map((a) => ({
          name: str(a, 'name'),
          type: str(a, 'type'),
          collation: opt(a, 'collation'),
          comment: opt(a, 'comment'),
        })),
      };
    case 'r': {
      const range = (r.range ?? {}) as Row;
      return {
        ...common,
        kind: 'range',
        subtype: str(range, 'subtype'),
        collation: opt(range, 'collation'),
        opclass: opt(range, 'opclass'),
        canonical: opt(range, 'canonical'),
        subtypeDiff: opt(range, 'subtypeDiff'),
        multirange: opt(range, 'multirange'),
      };
    }
    default:
      return { ...common, kind: str(r, 'kind') === 'p' ? 'shell' : 'base', definition: opt(r, 'definition') };
  }
}

/** The snapshot of a catalog document, with the relations in `excluded` (display names) left out. */
export function normalise(doc: RawDocument, excluded: ReadonlySet<string>): M.SchemaSnapshot {
  // A serial or identity column's sequence exists because of its table.
  const ownedByExcluded = (r: Row) => r.ownedBy !== null && typeof r.ownedBy === 'object' && excluded.has(str(r.ownedBy as Row, 'table'));
  return {
    schemas: rows(doc.schemas, 'schemas')
      .map((r) => ({ name: str(r, 'name'), ...owned(r) }))
      .sort(byName),
    extensions: rows(doc.extensions, 'extensions')
      .map((r) => ({ name: str(r, 'name'), version: str(r, 'version'), schema: str(r, 'schema') }))
      .sort(byName),
    relations: relations(doc)
      .filter((r) => !excluded.has(r.name))
      .sort(byName),
    sequences: rows(doc.sequences, 'sequences')
      .filter((r) => !excluded.has(str(r, 'name')) && !ownedByExcluded(r))
      .map(sequence)
      .sort(byName),
    types: rows(doc.types, 'types').map(type).sort(byName),
    routines: rows(doc.routines, 'routines')
      .map((r) => ({ name: str(r, 'signature'), kind: code(ROUTINE_KINDS, str(r, 'kind')), definition: str(r, 'definition'), ...owned(r) }))
      .sort(byName),
    eventTriggers: rows(doc.eventTriggers, 'event triggers')
      .map((r) => ({
        name: str(r, 'name'),
        event: str(r, 'event'),
        function: str(r, 'function'),
        enabled: code(FIRING, str(r, 'enabled')),
        tags: sortedList(r, 'tags'),
        owner: str(r, 'owner'),
        comment: opt(r, 'comment'),
      }))
      .sort(byName),
    statistics: rows(doc.statistics, 'statistics')
      .map((r) => ({
        name: str(r, 'name'),
        table: str(r, 'table'),
        definition: str(r, 'definition'),
        target: num(r, 'target'),
        owner: str(r, 'owner'),
        comment: opt(r, 'comment'),
      }))
      .filter((s) => !excluded.has(s.table))
      .sort(byName),
    defaultPrivileges: rows(doc.defaultPrivileges, 'default privileges')
      .map((r) => ({
        role: str(r, 'role'),
        schema: opt(r, 'schema'),
        objects: code(DEFAULT_ACL_OBJECTS, str(r, 'objects')),
        grants: grants(r),
        revoked: grants(r, 'revoked'),
      }))
      .sort((a, b) => byText(a.role, b.role) || byText(a.schema ?? '', b.schema ?? '') || byText(a.objects, b.objects)),
    others: rows(doc.others, 'others')
      .map((r) => ({ type: str(r, 'type'), identity: str(r, 'identity'), comment: opt(r, 'comment') }))
      .sort((a, b) => byText(a.type, b.type) || byText(a.identity, b.identity)),
  };
}
