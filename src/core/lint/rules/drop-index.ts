/**
 * DROP INDEX without CONCURRENTLY: PostgreSQL takes ACCESS EXCLUSIVE on the
 * index's table, and the drop itself queues behind any long query, with
 * every other query queued behind it.
 */
import { readableName } from '../../identifier.js';
import { migration, tableOr } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface DropIndexHazard extends HazardBase<'drop-index'> {
  readonly names: readonly string[];
}

export const dropIndex: Rule<DropIndexHazard> = {
  meta: {
    name: 'drop-index',
    family: 'index-not-concurrent',
    level: 'error',
    summary: 'DROP INDEX without CONCURRENTLY',
    docs: ruleDocs('drop-index'),
  },
  check: {
    statement: {
      'drop-index': (action, { model }) => {
        if (action.concurrently) return [];
        // The table is named only when every index's table is known.
        const tables = action.names.map((n) => model.indexTable(n));
        const table = tables.every((t): t is string => t !== undefined) ? model.firstInUse(tables) : undefined;
        return [{ rule: 'drop-index', names: action.names, ...(table !== undefined && { table }) }];
      },
    },
  },
  advise: ({ table, names }) => ({
    message: `Dropping ${names.map(readableName).join(', ')} without CONCURRENTLY takes ACCESS EXCLUSIVE on ${tableOr(table, 'its table')}: reads and writes wait, and so does the drop, behind any long query.`,
    instead: 'drop it CONCURRENTLY, one index per statement, in a no-transaction migration.',
    fix: migration(names.map((n) => `DROP INDEX CONCURRENTLY IF EXISTS ${readableName(n)};`).join('\n'), undefined, true),
  }),
};
