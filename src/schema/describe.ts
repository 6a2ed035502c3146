/**
 * A diff in words a reviewer reads at a glance, prisma-style: one line per
 * change, `+` added, `-` dropped, `~` changed, things inside a table under
 * the table's name.
 */
import type { ObjectChange, SchemaChange } from './changes.js';
import { addedExtra, childSpec, display, fieldPhrase, fieldsToSay, kindWord, onWhat, parentTitle, privilege, quoted } from './words.js';

export type Sign = '+' | '-' | '~';

/** `+` for added, `-` for dropped, `~` for changed (a grant: `+` granted, `-` revoked). */
export const signOf = (c: SchemaChange): Sign => (c.change === 'added' ? '+' : c.change === 'dropped' ? '-' : '~');

function grantLine(c: Extract<SchemaChange, { kind: 'grant' }>): string {
  const what = privilege(c.grant);
  if (c.on === 'default privileges') {
    return `default privileges ${display(c)}: ${c.change === 'added' ? `granted ${what} to` : `revoked ${what} from`} ${c.grant.grantee}`;
  }
  const on = onWhat(c);
  if (c.byDefault) {
    return c.change === 'added'
      ? `restored the default ${what} on ${on} to ${c.grant.grantee}`
      : `revoked the default ${what} on ${on} from ${c.grant.grantee}`;
  }
  return c.change === 'added' ? `granted ${what} on ${on} to ${c.grant.grantee}` : `revoked ${what} on ${on} from ${c.grant.grantee}`;
}

export const fieldsText = (c: Extract<SchemaChange, { change: 'changed'; fields: unknown }>): string =>
  fieldsToSay(c.fields).map(fieldPhrase).join(', ');

/**
 * A change to something inside a table (or a domain's constraint), as said
 * under the table's name, without its sign: `column status text NOT NULL`,
 * `column total: integer → bigint`, `index orders_user_idx`,
 * `column nick renamed to nickname`.
 */
export function childText(c: ObjectChange): string {
  const word = kindWord(c);
  if (c.change === 'added') return `${word} ${childSpec(c, c.object)}`;
  if (c.change === 'dropped') return `${word} ${c.local ?? c.name}`;
  const renamed = c.fields.find((f) => f.field === 'name');
  if (!renamed) return `${word} ${c.local ?? c.name}: ${fieldsText(c)}`;
  const rest = fieldsText({ ...c, fields: c.fields.filter((f) => f !== renamed) });
  return `${word} ${String(renamed.before)} renamed to ${String(renamed.after)}${rest === '' ? '' : `: ${rest}`}`;
}

/**
 * One change in one line:
 * - `added table public.orders (5 columns)`, `dropped view public.v`
 * - `table public.orders: + column status text NOT NULL DEFAULT 'new'::text`
 * - `table public.orders: ~ column total: integer → bigint`
 * - `table public.orders: - index orders_user_idx`
 * - `index public.orders_user_idx: definition differs (was: ...; now: ...)`
 * - `column order of public.users differs: id, name, nickname (was id, nickname, name)`
 * - `comment on table public.orders: 'old' → 'new'`, `owner of table public.orders: alice → bob`
 * - `granted SELECT on table public.orders to app`, `revoked the default EXECUTE on function public.f() from PUBLIC`
 */
export function describeChange(c: SchemaChange): string {
  switch (c.kind) {
    case 'comment':
      return `comment on ${onWhat(c)}: ${quoted(c.before)} → ${quoted(c.after)}`;
    case 'owner':
      return `owner of ${onWhat(c)}: ${c.before} → ${c.after}`;
    case 'grant':
      return grantLine(c);
    case 'order':
      return `column order of ${c.name} differs: ${c.after.join(', ')} (was ${c.before.join(', ')})`;
  }
  // Columns always read under their table; other objects inside one do
  // when added or dropped, and under their own name when changed, where
  // the name has to say which table.
  if (c.parent && (c.change !== 'changed' || c.kind === 'column')) return `${parentTitle(c.parent)}: ${signOf(c)} ${childText(c)}`;
  if (c.change === 'added') return `added ${kindWord(c)} ${display(c)}${addedExtra(c.kind, c.object)}`;
  if (c.change === 'dropped') return `dropped ${kindWord(c)} ${display(c)}`;
  return `${kindWord(c)} ${display(c)}: ${fieldsText(c)}`;
}

/** Every change in one line each, in the diff's order. */
export function describeChanges(changes: readonly SchemaChange[]): string[] {
  return changes.map(describeChange);
}
