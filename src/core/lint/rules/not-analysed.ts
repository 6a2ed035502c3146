/**
 * A DO block that changes tables: the lint does not read the SQL inside it,
 * so its locks and rewrites are not predicted; verify runs it and reports
 * what it did.
 */
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export type NotAnalysedHazard = HazardBase<'not-analysed'>;

/** Words of statements that lock or change tables. */
const CHANGES_TABLES = /\b(ALTER|UPDATE|DELETE|TRUNCATE|REINDEX|VACUUM|CLUSTER|LOCK|DROP|CREATE\s+(UNIQUE\s+)?INDEX)\b/i;

export const notAnalysed: Rule<NotAnalysedHazard> = {
  meta: {
    name: 'not-analysed',
    family: 'other',
    level: 'warning',
    summary: 'a DO block that changes tables: not analysed, observed by verify',
    docs: ruleDocs('not-analysed'),
  },
  check: {
    statement: { do: (action) => (CHANGES_TABLES.test(action.body) ? [{ rule: 'not-analysed' }] : []) },
  },
  advise: () => ({
    message: 'This DO block changes tables, and pgshift does not analyse the SQL inside it: its locks and rewrites are not predicted.',
    instead:
      'write the statements as plain SQL where you can; `pgshift verify` runs it and reports the locks it takes and the tables it rewrites.',
  }),
};
