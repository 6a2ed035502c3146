/**
 * REINDEX without CONCURRENTLY: PostgreSQL blocks writes to the table (and
 * reads that would use the index) while it rebuilds. REINDEX CONCURRENTLY
 * exists since PostgreSQL 12.
 */
import { readableName } from '../../identifier.js';
import { migration, tableOr } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface ReindexHazard extends HazardBase<'reindex'> {
  /** What is rebuilt (`index`, `table`, `schema`, ...) and its name. */
  readonly target: string;
  readonly name: string;
}

export const reindex: Rule<ReindexHazard> = {
  meta: {
    name: 'reindex',
    family: 'index-not-concurrent',
    level: 'error',
    summary: 'REINDEX without CONCURRENTLY',
    docs: ruleDocs('reindex'),
  },
  check: {
    statement: {
      reindex: ({ target, name, concurrently }, { model }) => {
        if (concurrently) return [];
        const table = target === 'index' ? model.indexTable(name) : target === 'table' ? name : undefined;
        return [{ rule: 'reindex', target, name, ...(table && { table }) }];
      },
    },
  },
  advise: ({ table, target, name }, { pgVersion }) => ({
    message: `REINDEX without CONCURRENTLY blocks writes to ${tableOr(table, 'the table')} (and reads that use the index) while it rebuilds.`,
    instead:
      pgVersion >= 12
        ? 'rebuild it CONCURRENTLY, in a no-transaction migration.'
        : 'before PostgreSQL 12: build a new index CONCURRENTLY, drop the old one CONCURRENTLY, rename the new one.',
    ...(pgVersion >= 12 && { fix: migration(`REINDEX ${target.toUpperCase()} CONCURRENTLY ${readableName(name)};`, undefined, true) }),
  }),
};
