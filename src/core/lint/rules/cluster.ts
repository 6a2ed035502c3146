/** CLUSTER: PostgreSQL writes the table anew in index order under ACCESS EXCLUSIVE. */
import { REBUILD_ONLINE, rewritesUnderLock } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export type ClusterHazard = HazardBase<'cluster'>;

export const cluster: Rule<ClusterHazard> = {
  meta: { name: 'cluster', family: 'rewrite', level: 'error', summary: 'CLUSTER', docs: ruleDocs('cluster') },
  check: {
    statement: { cluster: (action) => [{ rule: 'cluster', ...(action.table && { table: action.table }) }] },
  },
  advise: ({ table }) => rewritesUnderLock('CLUSTER of', table, REBUILD_ONLINE),
};
