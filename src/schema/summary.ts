/**
 * A diff grouped by the object it is about (each table with its columns,
 * indexes, comments and grants), as data: the caller renders it as text or
 * Markdown and does its own escaping.
 */
import { KIND_ORDER, type ObjectChange, type PresenceChange, type SchemaChange } from './changes.js';
import { childText, describeChange, signOf, type Sign } from './describe.js';
import { schemaOf } from './flatten.js';
import type { Relation } from './model.js';
import { byText } from './raw.js';
import { childSpec, display, fieldPhrase, fieldsToSay, isStatement, privilege, quoted } from './words.js';

export interface SummaryLine {
  readonly sign: Sign;
  /** Without the sign: `column status text NOT NULL`, `index orders_user_idx: definition differs`. */
  readonly text: string;
  /** Full statements for a `<details>` block, when a definition was added, dropped or changed. */
  readonly before?: string;
  readonly after?: string;
}

export interface SummaryGroup {
  /** `table`, `function`, or the catch-all's word (`collation`). */
  readonly kind: string;
  readonly name: string;
  /** `table public.orders`. */
  readonly title: string;
  /** `added` or `dropped` when the object itself was; otherwise `changed`. */
  readonly change: 'added' | 'dropped' | 'changed';
  /** `added table public.orders (5 columns)`, `dropped view public.v`, `table public.orders: 3 changes`. */
  readonly headline: string;
  /** The definition of an added (`after`) or dropped (`before`) view, function, trigger...: for a `<details>` block. */
  readonly before?: string;
  readonly after?: string;
  readonly lines: readonly SummaryLine[];
  readonly changes: readonly SchemaChange[];
}

interface Group {
  kind: string;
  sortKind: string;
  name: string;
  own?: PresenceChange;
  changes: SchemaChange[];
}

function groupOf(c: SchemaChange): { kind: string; sortKind: string; name: string } {
  if (c.parent) return { kind: c.parent.kind, sortKind: c.parent.kind, name: c.parent.name };
  const kind = 'on' in c ? c.on : c.kind;
  return { kind: c.objectType ?? kind, sortKind: kind, name: c.name };
}

const definitionOf = (object: unknown): string | undefined => {
  const d = (object as { definition?: unknown } | null)?.definition;
  return typeof d === 'string' ? d : undefined;
};

/** Lines for what an added table brings with it. */
function addedRelationLines(c: PresenceChange): SummaryLine[] {
  if (!['table', 'view', 'materialized view', 'foreign table'].includes(c.kind)) return [];
  const r = c.object as Relation;
  const inside = (kind: ObjectChange['kind'], item: { name: string; definition?: string }, local = item.name): SummaryLine => ({
    sign: '+',
    text: `${kind} ${childSpec({ kind, name: item.name, local, parent: { kind: c.kind, name: c.name } }, item)}`,
  });
  const schemaLength = schemaOf(c.name).length + 1;
  return [
    ...r.columns.map((x) => inside('column', x)),
    ...r.constraints.map((x) => inside('constraint', x)),
    ...r.indexes.map((x) => inside('index', x, x.name.slice(schemaLength))),
    ...r.triggers.map((x) => inside('trigger', x)),
    ...r.policies.map((x) => inside('policy', x)),
    ...r.rules.map((x) => inside('rule', x)),
  ];
}

function line(c: SchemaChange, self: boolean): SummaryLine[] {
  const sign = signOf(c);
  const subject = self ? '' : `${c.kind === 'grant' || c.kind === 'comment' || c.kind === 'owner' ? `${c.on} ` : ''}${c.local ?? c.name}`;
  const on = subject === '' ? '' : ` on ${subject}`;
  switch (c.kind) {
    case 'comment':
      return [{ sign, text: `comment${on}: ${quoted(c.before)} → ${quoted(c.after)}` }];
    case 'owner':
      return [{ sign, text: `owner${on}: ${c.before} → ${c.after}` }];
    case 'grant': {
      const what = `${c.byDefault ? 'default ' : ''}${privilege(c.grant)}${on}`;
      return [{ sign, text: `${what} ${c.change === 'added' ? 'to' : 'from'} ${c.grant.grantee}` }];
    }
    case 'order':
      return [{ sign, text: `column order: ${c.after.join(', ')} (was ${c.before.join(', ')})` }];
  }
  if (!self) {
    const before = c.change === 'dropped' ? definitionOf(c.object) : undefined;
    const after = c.change === 'added' ? definitionOf(c.object) : undefined;
    const statement = c.change === 'changed' ? c.fields.find(isStatement) : undefined;
    return [
      {
        sign,
        text: childText(c),
        ...((before ?? statement) !== undefined && { before: before ?? String(statement?.before) }),
        ...((after ?? statement) !== undefined && { after: after ?? String(statement?.after) }),
      },
    ];
  }
  if (c.change === 'dropped') return [];
  if (c.change === 'added') return addedRelationLines(c);
  return fieldsToSay(c.fields).map((f) => ({
    sign,
    text: fieldPhrase(f),
    ...(isStatement(f) && { before: String(f.before), after: String(f.after) }),
  }));
}

const count = (n: number): string => `${n} change${n === 1 ? '' : 's'}`;

/**
 * The changes grouped by the top-level object they are about, groups in
 * the diff's kind order then by name, each with one line per change (and
 * for an added table, one per column, constraint and index it comes with).
 */
export function summarizeChanges(changes: readonly SchemaChange[]): SummaryGroup[] {
  const groups = new Map<string, Group>();
  for (const c of changes) {
    const { kind, sortKind, name } = groupOf(c);
    const k = `${sortKind}\u0000${name}`;
    const group = groups.get(k) ?? { kind, sortKind, name, changes: [] };
    if (!c.parent && c.kind !== 'comment' && c.kind !== 'owner' && c.kind !== 'grant' && c.kind !== 'order' && c.change !== 'changed') {
      group.own = c;
    }
    group.changes.push(c);
    groups.set(k, group);
  }
  const order = (kind: string) => KIND_ORDER.indexOf(kind as (typeof KIND_ORDER)[number]);
  return [...groups.values()]
    .sort((a, b) => order(a.sortKind) - order(b.sortKind) || byText(a.name, b.name))
    .map((g): SummaryGroup => {
      const title = `${g.kind} ${display({ kind: g.sortKind, name: g.name })}`;
      const change = g.own?.change === 'added' || g.own?.change === 'dropped' ? g.own.change : 'changed';
      const lines = g.changes.flatMap((c) => line(c, !c.parent));
      const own = g.own;
      const headline = own ? describeChange(own) : `${title}: ${count(g.changes.length)}`;
      const definition = own ? definitionOf(own.object) : undefined;
      const statement = definition === undefined ? {} : own?.change === 'added' ? { after: definition } : { before: definition };
      return { kind: g.kind, name: g.name, title, change, headline, ...statement, lines, changes: g.changes };
    });
}
