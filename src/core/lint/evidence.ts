/**
 * Evidence for the lint from a scratch run (verify): what each statement of
 * a new migration was seen to do to the base's relations. A finding gets
 * what was seen on its statement ("took ACCESS EXCLUSIVE on public.orders
 * and rewrote it"); a rewrite of a base table that no rule predicted becomes
 * a finding of its own.
 */
import type { Problem } from '../problem.js';
import type { Migration } from '../types.js';
import { readAcknowledgements } from './acknowledge.js';
import { toProblem, type LintFinding, type LintOptions } from './lint.js';
import { SchemaModel } from './model.js';
import { checksFor } from './run-rules.js';

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

/** The findings with what was seen on their statements, and a finding for each rewrite no rule predicted. */
export function withEvidence(
  findings: readonly LintFinding[],
  migrations: readonly Migration[],
  observed: Observations,
  options: LintOptions,
): Problem[] {
  const out: Problem[] = [];
  for (const f of findings) {
    const seen = observed.get(f.at.version)?.[f.at.index];
    const text = seen && f.problem.lint ? describeObservations(seen) : undefined;
    out.push(text ? { ...f.problem, lint: { ...f.problem.lint!, observed: text } } : f.problem);
  }
  for (const m of migrations) {
    const statements = observed.get(m.version);
    if (!statements) continue;
    const acks = readAcknowledgements(m);
    const checks = checksFor({ lockTimeoutMs: options.lockTimeoutMs ?? 0 });
    statements.forEach((seen, index) => {
      const onIt = findings.filter((f) => f.at.version === m.version && f.at.index === index).map((f) => f.problem);
      const statement = m.up.statements[index]!;
      for (const hazard of checks.observed(seen, onIt)) {
        const problem = toProblem(m, statement, hazard, acks, new SchemaModel(), options);
        if (problem) out.push({ ...problem, lint: { ...problem.lint!, observed: describeObservations(seen)! } });
      }
    });
  }
  return out;
}
