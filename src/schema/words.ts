/**
 * The vocabulary the descriptions share: what to call an object, how to
 * write a column or an index in one line, how to say that a field changed.
 */
import type { FieldChange, ObjectKind, ParentRef, SchemaChange } from './changes.js';
import type { Column, Grant, Index, Policy, Relation, TypeEntry } from './model.js';

type Named = Pick<SchemaChange, 'name' | 'parent' | 'local' | 'objectType'> & { readonly kind: string };

/** `column`, `index`, or for the catch-all the catalog's word: `collation`. */
export const kindWord = (c: { readonly kind: string; readonly objectType?: string }): string => c.objectType ?? c.kind;

const INSIDE_PARENT: readonly string[] = ['constraint', 'trigger', 'policy', 'rule'];

/** The name a reader knows the object by: `public.orders.total`, `orders_pkey on public.orders`, `public.orders_user_idx`. */
export function display(c: Named, kind: string = c.kind): string {
  if (kind === 'default privileges') return `for ${c.name}`;
  return INSIDE_PARENT.includes(kind) && c.parent && c.local !== undefined ? `${c.local} on ${c.parent.name}` : c.name;
}

export const parentTitle = (p: ParentRef): string => `${p.kind} ${p.name}`;

/** The object a comment, owner, grant or order change is about, in words: `column public.orders.total`. */
export const onWhat = (c: Named & { readonly on: ObjectKind }): string =>
  `${kindWord({ kind: c.on, ...(c.objectType && { objectType: c.objectType }) })} ${display(c, c.on)}`;

/** Text in single quotes, as SQL writes a literal. */
export const quoted = (text: string | null): string => (text === null ? 'none' : `'${text.replace(/'/g, "''")}'`);

export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A definition in one line, without the semicolon pg_get_viewdef and pg_get_ruledef end with. */
export const statement = (v: unknown): string => oneLine(value(v)).replace(/;$/, '');

export const privilege = (g: Grant): string => `${g.privilege}${g.grantable ? ' WITH GRANT OPTION' : ''}`;

/** A column as CREATE TABLE would write it: `status text NOT NULL DEFAULT 'new'::text`. */
export function columnSpec(c: Column): string {
  const parts = [c.name, c.type];
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.identity) parts.push(`GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.default ?? ''}) ${c.generated.toUpperCase()}`);
  if (c.notNull) parts.push('NOT NULL');
  if (c.default !== null && !c.generated) parts.push(`DEFAULT ${c.default}`);
  return parts.join(' ');
}

/** What follows `CREATE INDEX name ON table`: `USING btree (user_id)`; the whole definition if it reads otherwise. */
export function indexSpec(i: Index, local: string, table: string): string {
  const unique = i.definition.startsWith('CREATE UNIQUE INDEX ');
  const head = `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${local} ON `;
  const invalid = i.valid ? '' : ' (INVALID)';
  let rest = i.definition.startsWith(head) ? i.definition.slice(head.length) : '';
  if (rest.startsWith('ONLY ')) rest = rest.slice(5);
  if (!rest.startsWith(`${table} `)) return `${i.definition}${invalid}`;
  return `${unique ? 'UNIQUE ' : ''}${rest.slice(table.length + 1)}${invalid}`;
}

/** A trigger's definition without `CREATE TRIGGER name` and `ON table`: `BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION ...`. */
export function triggerSpec(definition: string, local: string, table: string): string {
  const head = `CREATE TRIGGER ${local} `;
  if (!definition.startsWith(head)) return definition;
  return definition.slice(head.length).replace(` ON ${table} `, ' ');
}

export function policySpec(p: Policy): string {
  const parts = [p.permissive ? null : 'AS RESTRICTIVE', `FOR ${p.command}`, `TO ${p.roles.join(', ')}`];
  if (p.using !== null) parts.push(`USING ${p.using}`);
  if (p.withCheck !== null) parts.push(`WITH CHECK ${p.withCheck}`);
  return parts.filter((x) => x !== null).join(' ');
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function typeSpec(t: TypeEntry): string {
  switch (t.kind) {
    case 'enum':
      return `enum: ${t.labels.map(quoted).join(', ')}`;
    case 'domain':
      return `domain over ${t.baseType}`;
    case 'composite':
      return `composite: ${t.attributes.map((a) => `${a.name} ${a.type}`).join(', ')}`;
    case 'range':
      return `range of ${t.subtype}`;
    default:
      return t.kind;
  }
}

/** What to say after `added table public.orders`: ` (5 columns)`. */
export function addedExtra(kind: ObjectKind, object: unknown): string {
  const o = object as Record<string, unknown>;
  if (kind === 'table' || kind === 'view' || kind === 'materialized view' || kind === 'foreign table') {
    return ` (${count((o as unknown as Relation).columns.length, 'column')})`;
  }
  if (kind === 'type') return ` (${typeSpec(o as unknown as TypeEntry)})`;
  if (kind === 'extension') return ` (version ${String(o.version)})`;
  if (kind === 'sequence' && typeof o.ownedBy === 'string') return ` (${o.identity ? 'identity of' : 'owned by'} ${o.ownedBy})`;
  if (kind === 'default privileges') {
    const granted = (o.grants as Grant[]).map((g) => `${privilege(g)} to ${g.grantee}`);
    const revoked = (o.revoked as Grant[]).map((g) => `${privilege(g)} revoked from ${g.grantee}`);
    return ` (${[...granted, ...revoked].join(', ') || 'none'})`;
  }
  return '';
}

/** What an added object inside a table looks like: `status text NOT NULL`, `CHECK (...)`, `USING btree (user_id)`. */
export function childSpec(c: Named, object: unknown): string {
  const table = c.parent?.name ?? '';
  const local = c.local ?? c.name;
  switch (c.kind) {
    case 'column':
      return columnSpec(object as Column);
    case 'constraint':
      return `${local} ${(object as { definition: string }).definition}`;
    case 'index':
      return `${local} ${indexSpec(object as Index, local, table)}`;
    case 'trigger':
      return `${local} ${triggerSpec((object as { definition: string }).definition, local, table)}`;
    case 'policy':
      return `${local} ${policySpec(object as Policy)}`;
    default:
      return local;
  }
}

interface FieldWords {
  /** Said before the values: `default 0 → 1`; empty for none: `integer → bigint`. */
  readonly label?: string;
  /** For "a different ..." when the label is empty. */
  readonly noun?: string;
  /** For true and false. */
  readonly on?: string;
  readonly off?: string;
  /** Values in words. */
  readonly words?: Readonly<Record<string, string>>;
  /** The values are states, said as such: `is back disabled`. */
  readonly state?: boolean;
}

const FIRING = { origin: 'enabled', disabled: 'disabled', replica: 'enabled on replicas only', always: 'enabled always' };

const FIELDS: Readonly<Record<string, FieldWords>> = {
  type: { label: '', noun: 'type' },
  persistence: { label: '', noun: 'persistence' },
  notNull: { on: 'NOT NULL', off: 'nullable' },
  validated: { on: 'validated', off: 'NOT VALID' },
  valid: { on: 'valid', off: 'INVALID' },
  deferrable: { on: 'DEFERRABLE', off: 'NOT DEFERRABLE' },
  deferred: { on: 'INITIALLY DEFERRED', off: 'INITIALLY IMMEDIATE' },
  clustered: { on: 'CLUSTER on it', off: 'no CLUSTER on it' },
  replicaIdentity: { label: 'replica identity', on: 'replica identity', off: 'not replica identity' },
  rowSecurity: { label: 'row level security', on: 'enabled', off: 'disabled' },
  forceRowSecurity: { label: 'FORCE row level security', on: 'on', off: 'off' },
  permissive: { on: 'PERMISSIVE', off: 'RESTRICTIVE' },
  cycle: { on: 'CYCLE', off: 'NO CYCLE' },
  identity: { label: 'identity', on: 'identity', off: 'not identity' },
  enabled: { label: '', noun: 'state', words: FIRING, state: true },
  statisticsTarget: { label: 'statistics target' },
  target: { label: 'statistics target' },
  fdwOptions: { label: 'FDW options' },
  accessMethod: { label: 'access method' },
  partitionKey: { label: 'PARTITION BY' },
  partitionBound: { label: 'partition bound' },
  partitionOf: { label: 'partition of' },
  parents: { label: 'INHERITS' },
  serverOptions: { label: 'server options' },
  constraint: { label: 'backs constraint' },
  start: { label: 'START' },
  increment: { label: 'INCREMENT' },
  min: { label: 'MINVALUE' },
  max: { label: 'MAXVALUE' },
  cache: { label: 'CACHE' },
  ownedBy: { label: 'OWNED BY' },
  using: { label: 'USING' },
  withCheck: { label: 'WITH CHECK' },
  baseType: { label: 'base type' },
  subtypeDiff: { label: 'subtype diff' },
  opclass: { label: 'operator class' },
};

/** Fields whose values are whole statements: said as "differs (was: ...; now: ...)". */
const STATEMENTS = new Set(['definition']);
/** Longer than this, a statement is only said to differ; the caller has both in full. */
export const LONGEST_QUOTED = 200;

export function value(v: unknown, words?: Readonly<Record<string, string>>): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return words?.[v] ?? v;
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    return v.map((x) => (typeof x === 'object' && x !== null && 'name' in x && 'type' in x ? `${x.name} ${x.type}` : value(x))).join(', ');
  }
  return JSON.stringify(v);
}

/** The field as a noun: `type`, `default`, `definition`, `OWNED BY`. */
export const fieldNoun = (field: string): string => FIELDS[field]?.noun ?? (FIELDS[field]?.label || field);

export const isState = (field: string): boolean => FIELDS[field]?.state === true;

/** A field's value in words: `enabled` for a trigger's `origin`, `none` for null. */
export const fieldValue = (field: string, v: unknown): string => value(v, FIELDS[field]?.words);

/** Is the field a true/false one with words for both (NOT NULL / nullable)? `label`: row level security, say. */
export function flagWords(f: FieldChange): { readonly was: string; readonly now: string; readonly label: string } | null {
  const w = FIELDS[f.field];
  if (typeof f.before !== 'boolean' || typeof f.after !== 'boolean' || !w?.on || !w.off) return null;
  return { was: f.before ? w.on : w.off, now: f.after ? w.on : w.off, label: w.label ?? '' };
}

export function isStatement(f: FieldChange): boolean {
  return STATEMENTS.has(f.field);
}

/** One field's change: `integer → bigint`, `nullable → NOT NULL`, `definition differs (was: ...; now: ...)`. */
export function fieldPhrase(f: FieldChange): string {
  const w = FIELDS[f.field];
  const label = w?.label ?? f.field;
  const lead = label === '' ? '' : `${label} `;
  const flag = flagWords(f);
  // A flag's words say which field it is (nullable → NOT NULL) unless a label is given.
  if (flag) return `${w?.label ? `${w.label} ` : ''}${flag.was} → ${flag.now}`;
  if (isStatement(f)) {
    const [was, now] = [statement(f.before), statement(f.after)];
    if (was.length > LONGEST_QUOTED || now.length > LONGEST_QUOTED) return `${label} differs`;
    return `${label} differs (was: ${was}; now: ${now})`;
  }
  return `${lead}${value(f.before, w?.words)} → ${value(f.after, w?.words)}`;
}

/**
 * The fields worth saying. A constraint validated (or made NOT VALID) also
 * changes its definition by the words " NOT VALID": saying both would say
 * it twice.
 */
export function fieldsToSay(fields: readonly FieldChange[]): readonly FieldChange[] {
  const validated = fields.some((f) => f.field === 'validated');
  return fields.filter((f) => {
    if (!validated || f.field !== 'definition') return true;
    const strip = (v: unknown) => String(v).replace(/ NOT VALID$/, '');
    return strip(f.before) !== strip(f.after);
  });
}
