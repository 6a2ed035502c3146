/**
 * Evidence for the lint from a scratch run (verify): what each statement of
 * a new migration was seen to do to the base's relations. The lint is given
 * it up front: a finding carries what was seen on its statement ("took
 * ACCESS EXCLUSIVE on public.orders and rewrote it"), and a rewrite of a
 * base table that no rule predicted is a finding of its own.
 */

/** What one statement did to one relation of the base. */
export interface Observation {
  readonly relation: string;
  readonly kind: 'table' | 'index';
  /** The strongest lock mode it newly took, in PostgreSQL's words. */
  readonly lock?: string;
  /** The strongest lock mode the migration holds on it after the statement. */
  readonly held?: string;
  readonly rewrote: boolean;
}

/** Per migration version, per UP statement: what was seen. A migration that was not observed has no entry. */
export type Observations = ReadonlyMap<number, readonly (readonly Observation[])[]>;

/** `took ACCESS EXCLUSIVE on public.orders and rewrote it; took SHARE on public.customers`. */
export function describeObservations(seen: readonly Observation[]): string | undefined {
  const tables = seen.filter((o) => o.kind === 'table');
  const shown = tables.length > 0 ? tables : seen;
  if (shown.length === 0) return undefined;
  return shown
    .map((o) => {
      const what = o.kind === 'index' ? `index ${o.relation}` : o.relation;
      if (o.lock && o.rewrote) return `took ${o.lock} on ${what} and rewrote it`;
      if (o.lock) return `took ${o.lock} on ${what}`;
      return o.held ? `rewrote ${what}, holding ${o.held}` : `rewrote ${what}`;
    })
    .join('; ');
}
