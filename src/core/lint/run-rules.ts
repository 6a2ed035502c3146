/**
 * How the registry's rules are asked about a migration: each statement (and
 * each action of an ALTER TABLE) goes to the rules that visit its kind, in
 * the registry's order, as ESLint hands each node to the visitors for its
 * type; the kinds each rule visits are read once, not per statement.
 */
import type { Problem } from '../problem.js';
import type { Observation } from './evidence.js';
import type { Action } from './action.js';
import { RULE_LIST, type Hazard } from './registry.js';
import type { Checks, MigrationScope, Rule, StatementContext } from './rule.js';

/** Every rule's checks for one migration. */
export interface MigrationChecks {
  /** A statement's hazards: an ALTER TABLE's action by action, then the statement's own. */
  statement(action: Action, ctx: StatementContext): Hazard[];
  /** The hazards rules that look across statements find once `reported` findings were made on this one. */
  after(action: Action, ctx: StatementContext, reported: number): Hazard[];
  /** The hazards in what verify saw a statement do. */
  observed(seen: readonly Observation[], findings: readonly Problem[]): Hazard[];
}

/** The rules as one type: each visitor below is looked up by the kind it is filed under. */
const LIST: readonly Rule<Hazard>[] = RULE_LIST;

/** Positions of the rules made per migration: their visitors are known only once made, so they are asked about every kind. */
const STATEFUL = LIST.flatMap((r, i) => (r.create ? [i] : []));

/** By kind of statement or of ALTER TABLE action, the positions of the rules to ask, in the registry's order. */
function askers(part: 'alter' | 'statement'): ReadonlyMap<string, readonly number[]> {
  const table = new Map<string, number[]>();
  LIST.forEach((rule, i) => {
    for (const kind of Object.keys(rule.check?.[part] ?? {})) table.set(kind, [...(table.get(kind) ?? []), i]);
  });
  for (const [kind, rules] of table)
    table.set(
      kind,
      [...rules, ...STATEFUL].sort((a, b) => a - b),
    );
  return table;
}
const ASK = { alter: askers('alter'), statement: askers('statement') };
/** Positions of the rules that may look again after the others, or at what verify saw. */
const AFTER = LIST.flatMap((r, i) => (r.create || r.check.after ? [i] : []));
const OBSERVED = LIST.flatMap((r, i) => (r.create || r.check.observed ? [i] : []));

export function checksFor(scope: MigrationScope): MigrationChecks {
  const checks: readonly Checks<Hazard>[] = LIST.map((r) => r.check ?? r.create(scope));
  /** Adds to `found` what the rules that visit `kind` find in `args`. */
  const ask = (found: Hazard[], part: 'alter' | 'statement', kind: string, args: readonly unknown[]): void => {
    for (const i of ASK[part].get(kind) ?? STATEFUL) {
      // A visitor takes the action of the kind it is filed under, and `args` holds one of that kind.
      const visit = (checks[i]![part] as Readonly<Record<string, unknown>> | undefined)?.[kind] as
        ((...args: readonly unknown[]) => readonly Hazard[]) | undefined;
      if (visit) found.push(...visit(...args));
    }
  };
  return {
    statement(action, ctx) {
      const found: Hazard[] = [];
      if (action.kind === 'alter-table') for (const a of action.actions) ask(found, 'alter', a.kind, [action.table, a, ctx]);
      ask(found, 'statement', action.kind, [action, ctx]);
      return found;
    },
    after: (action, ctx, reported) => AFTER.flatMap((i) => checks[i]!.after?.(action, ctx, reported) ?? []),
    observed: (seen, findings) => OBSERVED.flatMap((i) => checks[i]!.observed?.(seen, findings) ?? []),
  };
}
