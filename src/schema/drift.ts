/**
 * Drift: the difference between the schema the applied migrations make
 * (replayed on a scratch server) and the schema a database has. What is
 * compared (the schemas the migrations own, nothing of an extension's, no
 * owners or role-specific default privileges, which name roles a scratch
 * server does not have), which objects a project leaves out by pattern, and
 * each difference in words.
 */
import type { SchemaChange } from './changes.js';
import { schemaOf } from './flatten.js';
import type { SchemaSnapshot } from './model.js';
import {
  LONGEST_QUOTED,
  display,
  fieldNoun,
  fieldValue,
  fieldsToSay,
  flagWords,
  isState,
  isStatement,
  kindWord,
  onWhat,
  privilege,
  quoted,
  statement,
} from './words.js';

/**
 * The part of each snapshot drift compares: objects in `schemas` only (the
 * schemas the replay made, and public); no extension (a provider installs
 * its own, and versions differ between servers: their objects are never in
 * a snapshot); nothing outside a schema (event triggers, casts, default
 * privileges, which are about roles); no NOT NULL constraint (the column's
 * NOT NULL is compared).
 */
export function driftScope(snapshot: SchemaSnapshot, schemas: ReadonlySet<string>): SchemaSnapshot {
  const inside = (item: { readonly name: string }) => schemas.has(schemaOf(item.name));
  return {
    schemas: snapshot.schemas.filter((s) => schemas.has(s.name)),
    extensions: [],
    // NOT NULL is compared on the column; PostgreSQL 18 also catalogs it as a constraint, older majors do not, and
    // the replay may run on another major than the database's.
    relations: snapshot.relations.filter(inside).map((r) => ({ ...r, constraints: r.constraints.filter((k) => k.type !== 'not null') })),
    sequences: snapshot.sequences.filter(inside),
    types: snapshot.types.filter(inside),
    routines: snapshot.routines.filter(inside),
    eventTriggers: [],
    statistics: snapshot.statistics.filter(inside),
    defaultPrivileges: [],
    others: snapshot.others.filter((o) => schemas.has(schemaOf(o.identity))),
  };
}

/** The schemas the migrations own: every schema of the replayed snapshot, and public. */
export function ownedSchemas(replayed: SchemaSnapshot): Set<string> {
  return new Set(['public', ...replayed.schemas.map((s) => s.name)]);
}

/** A glob on qualified names: `*` any run of characters, `?` one; the whole name must match. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const source = patterns
    .map((p) =>
      p
        .split('')
        .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join(''),
    )
    .join('|');
  const re = new RegExp(`^(?:${source})$`, 's');
  return (name) => re.test(name);
}

/**
 * The changes that are drift: owners left out (the scratch server's roles
 * own what it replayed), and every change whose object, or the table it
 * belongs to, matches an exclude pattern.
 */
export function driftChanges(changes: readonly SchemaChange[], exclude: readonly string[]): SchemaChange[] {
  const excluded = globMatcher(exclude);
  return changes.filter((c) => c.kind !== 'owner' && !excluded(c.name) && !(c.parent !== undefined && excluded(c.parent.name)));
}

const IN_DB = 'in the database';
const made = (v: string) => `the migrations make ${v}`;

function grantDrift(c: Extract<SchemaChange, { kind: 'grant' }>): string {
  const what = privilege(c.grant);
  const on = onWhat(c);
  if (c.byDefault) {
    return c.change === 'added'
      ? `the default ${what} on ${on} for ${c.grant.grantee} is in force in the database, but the migrations revoke it`
      : `the default ${what} on ${on} is revoked from ${c.grant.grantee} in the database, but no migration revoked it`;
  }
  return c.change === 'added'
    ? `${what} on ${on} is granted to ${c.grant.grantee} in the database, but no migration granted it`
    : `${what} on ${on} granted to ${c.grant.grantee} by the migrations is missing from the database`;
}

/**
 * One difference in words, the diff being from the replayed schema to the
 * database's:
 * - `index public.orders_note_idx exists in the database but no migration made it`
 * - `column public.orders.note is missing from the database, though a migration made it`
 * - `column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text`
 * - `column public.orders.note is NOT NULL in the database; the migrations make it nullable`
 */
export function describeDrift(c: SchemaChange): string {
  switch (c.kind) {
    case 'comment':
      if (c.change === 'added') return `comment on ${onWhat(c)} exists in the database but no migration made it: ${quoted(c.after)}`;
      if (c.change === 'dropped') return `comment on ${onWhat(c)} is missing from the database: ${made(quoted(c.before))}`;
      return `comment on ${onWhat(c)} differs: ${made(quoted(c.before))}, the database has ${quoted(c.after)}`;
    case 'owner':
      return `owner of ${onWhat(c)} differs: ${made(c.before)}, the database has ${c.after}`;
    case 'grant':
      return grantDrift(c);
    case 'order':
      return `columns of ${c.on} ${c.name} are in another order ${IN_DB}: ${c.after.join(', ')} (the migrations make ${c.before.join(', ')})`;
  }
  const kind = kindWord(c);
  const what = `${kind} ${display(c)}`;
  if (c.change === 'added') return `${what} exists ${IN_DB} but no migration made it`;
  if (c.change === 'dropped') return `${what} is missing from the database, though a migration made it`;
  return fieldsToSay(c.fields)
    .map((f) => {
      const flag = flagWords(f);
      if (flag) return `${what} is ${flag.label ? `${flag.label} ` : ''}${flag.now} ${IN_DB}; the migrations make it ${flag.was}`;
      if (f.field === 'name') return `${kind} ${String(f.before)} of ${c.parent?.name ?? c.name} is named ${String(f.after)} ${IN_DB}`;
      if (isState(f.field))
        return `${what} is ${fieldValue(f.field, f.after)} ${IN_DB}; the migrations make it ${fieldValue(f.field, f.before)}`;
      const show = (v: unknown) => (isStatement(f) ? statement(v) : fieldValue(f.field, v));
      const subject = `${kind} ${fieldNoun(f.field)} of ${display(c)} differs`;
      if (isStatement(f) && Math.max(show(f.before).length, show(f.after).length) > LONGEST_QUOTED) return subject;
      return `${subject}: ${made(show(f.before))}, the database has ${show(f.after)}`;
    })
    .join('; ');
}
