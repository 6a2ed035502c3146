/**
 * Reading the query's JSON rows: typed accessors that fail loudly on a
 * shape the query never makes, the catalog's one-letter codes in words,
 * and one sort order that does not depend on any database's collation.
 */
import type { Grant, Owned } from './model.js';

export type Row = Readonly<Record<string, unknown>>;

export function rows(value: unknown, what: string): Row[] {
  if (!Array.isArray(value)) throw new Error(`schema snapshot: ${what} is not a list; the catalog query and its reader disagree`);
  return value as Row[];
}

export function str(row: Row, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw new Error(`schema snapshot: ${key} is ${JSON.stringify(value)}, not text`);
  return value;
}

/** Text, or null; the empty string too, which is how a blank "char" code reads. */
export function opt(row: Row, key: string): string | null {
  const value = row[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

export const bool = (row: Row, key: string): boolean => row[key] === true;

export function num(row: Row, key: string): number | null {
  const value = row[key];
  return typeof value === 'number' ? value : null;
}

/** A text[] or JSON array of text; NULL reads as empty. */
export function list(row: Row, key: string): string[] {
  const value = row[key];
  return Array.isArray(value) ? value.map(String) : [];
}

/** A JSON array of text, in the order the query made it (enum labels, inheritance). */
export const ordered = list;

/** Like `list`, sorted: for sets (options, roles) whose order the catalog does not define. */
export const sortedList = (row: Row, key: string): string[] => list(row, key).sort(byText);

/** `granted` or `revoked` of the query's `acl` object (see sql-parts.ts); none when the ACL is the default. */
export function grants(row: Row, which: 'granted' | 'revoked' = 'granted'): Grant[] {
  const acl = (row.acl ?? {}) as Row;
  return rows(acl[which] ?? [], which)
    .map((g) => ({ grantee: str(g, 'grantee'), privilege: str(g, 'privilege'), grantable: bool(g, 'grantable') }))
    .sort((a, b) => byText(a.grantee, b.grantee) || byText(a.privilege, b.privilege) || Number(a.grantable) - Number(b.grantable));
}

export const owned = (r: Row): Owned => ({
  owner: str(r, 'owner'),
  grants: grants(r),
  revoked: grants(r, 'revoked'),
  comment: opt(r, 'comment'),
});

/** Code-unit order: the same on every machine and for every database collation. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return byText(a.name, b.name);
}

/**
 * A catalog code in words. An unknown code (a newer server's) is kept as it
 * is rather than refused: it still compares equal to itself.
 */
export function code<T extends string>(words: Readonly<Record<string, T>>, value: string): T {
  return words[value] ?? (value as T);
}

export const PERSISTENCE = { p: 'permanent', u: 'unlogged', t: 'temporary' } as const;
export const FIRING = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;
export const CONSTRAINT_TYPES = {
  c: 'check',
  f: 'foreign key',
  n: 'not null',
  p: 'primary key',
  u: 'unique',
  x: 'exclusion',
} as const;
