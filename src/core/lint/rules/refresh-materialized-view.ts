/**
 * REFRESH MATERIALIZED VIEW without CONCURRENTLY: PostgreSQL runs the view's
 * query again and swaps in a new copy while holding ACCESS EXCLUSIVE, so
 * every read of the view waits for the whole query (measured: its file
 * node changes under ACCESS EXCLUSIVE).
 */
import { readableName } from '../../identifier.js';
import { migration } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface RefreshMaterializedViewHazard extends HazardBase<'refresh-materialized-view'> {
  readonly table: string;
}

export const refreshMaterializedView: Rule<RefreshMaterializedViewHazard> = {
  meta: {
    name: 'refresh-materialized-view',
    family: 'rewrite',
    level: 'error',
    summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
    docs: ruleDocs('refresh-materialized-view'),
  },
  check: {
    statement: {
      'refresh-view': (action) => (action.concurrently ? [] : [{ rule: 'refresh-materialized-view', table: action.name }]),
    },
  },
  advise: ({ table }) => {
    const v = readableName(table);
    return {
      message: `Refreshing materialized view ${v} without CONCURRENTLY runs its query again while holding ACCESS EXCLUSIVE: every read of it waits until it is done.`,
      instead:
        'refresh it CONCURRENTLY (it needs a unique index on the view, and runs outside a transaction block), so reads go on while it runs.',
      fix: migration(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${v};`, undefined, true),
    };
  },
};
