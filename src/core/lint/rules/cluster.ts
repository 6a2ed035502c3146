/** CLUSTER: PostgreSQL writes the table anew in index order under ACCESS EXCLUSIVE. */
import { REBUILD_ONLINE, rewritesUnderLock } from '../advice.js';
import { LINT_DOCS, type HazardBase, type Rule } from '../rule.js';

export type ClusterHazard = HazardBase<'cluster'>;

export const cluster: Rule<ClusterHazard> = {
  meta: { name: 'cluster', family: 'rewrite', level: 'error', summary: 'CLUSTER', docs: LINT_DOCS },
  check: {
    statement: { cluster: (action) => [{ rule: 'cluster', ...(action.table && { table: action.table }) }] },
  },
  advise: ({ table }) => rewritesUnderLock('CLUSTER of', table, REBUILD_ONLINE),
};
