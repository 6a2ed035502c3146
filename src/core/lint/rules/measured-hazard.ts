/**
 * A hazard verify's rehearsal measured on seeded rows (a lock that blocks
 * others held while the work grew with the table, or a name gone) on a
 * statement where no rule predicted one. Made by the rehearsal's weighing
 * (src/core/rehearsal/weigh.ts), not by a check of its own.
 */
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface MeasuredHazard extends HazardBase<'measured-hazard'> {
  /** The measurement in words: "held ACCESS EXCLUSIVE on public.orders for 840 ms while rewriting 10,000 rows; …". */
  readonly measured: string;
}

export const measuredHazard: Rule<MeasuredHazard> = {
  meta: {
    name: 'measured-hazard',
    family: 'other',
    level: 'error',
    summary: "verify's rehearsal on seeded rows measured a hazard that no rule predicted",
    docs: ruleDocs('measured-hazard'),
  },
  check: {},
  advise: ({ measured }) => ({
    message: `On seeded rows, this statement ${measured}.`,
    instead:
      'do the work in steps that hold no blocking lock while it grows with the table (add, fill in batches, switch; CONCURRENTLY where there is one), or acknowledge it for a maintenance window.',
  }),
};
