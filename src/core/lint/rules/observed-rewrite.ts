/**
 * A rewrite of a base table that verify saw (the table's file node changed
 * on the scratch server) on a statement where no rule of the rewrite or
 * destructive family predicted one: reads and writes waited for it.
 */
import { readableName } from '../../identifier.js';
import { ruleDocs, type Family, type HazardBase, type Rule } from '../rule.js';

export interface ObservedRewriteHazard extends HazardBase<'observed-rewrite'> {
  readonly table: string;
  /** The lock the statement newly took on it, as pg_locks names it. */
  readonly mode?: string;
}

/** Findings of these families already say that the statement rewrites the table. */
const PREDICTS_REWRITE = new Set<string>(['rewrite', 'destructive'] satisfies Family[]);

export const observedRewrite: Rule<ObservedRewriteHazard> = {
  meta: {
    name: 'observed-rewrite',
    family: 'rewrite',
    level: 'error',
    summary: 'verify saw a statement rewrite a table that no rule predicted',
    docs: ruleDocs('observed-rewrite'),
  },
  check: {
    observed: (seen, findings) => {
      const rewritten = seen.find((o) => o.kind === 'table' && o.rewrote);
      if (!rewritten || findings.some((p) => PREDICTS_REWRITE.has(p.lint?.family ?? ''))) return [];
      return [{ rule: 'observed-rewrite', table: rewritten.relation, ...(rewritten.lock && { mode: rewritten.lock }) }];
    },
  },
  advise: ({ table, mode }) => ({
    message: `This statement rewrote ${readableName(table)} while holding ${mode ?? 'ACCESS EXCLUSIVE'}: reads and writes wait until it is done.`,
    instead:
      'find the change that rewrites the table and do it in steps (add, fill in batches, switch), or acknowledge it for a maintenance window.',
  }),
};
