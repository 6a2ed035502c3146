/** VACUUM FULL: PostgreSQL writes a new copy of the table and its indexes under ACCESS EXCLUSIVE. */
import { REBUILD_ONLINE, rewritesUnderLock } from '../advice.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export type VacuumFullHazard = HazardBase<'vacuum-full'>;

export const vacuumFull: Rule<VacuumFullHazard> = {
  meta: { name: 'vacuum-full', family: 'rewrite', level: 'error', summary: 'VACUUM FULL', docs: ruleDocs('vacuum-full') },
  check: {
    statement: {
      'vacuum-full': (action, { model }) => {
        const table = model.firstInUse(action.tables);
        return [{ rule: 'vacuum-full', ...(table && { table }) }];
      },
    },
  },
  advise: ({ table }) => rewritesUnderLock('VACUUM FULL of', table, REBUILD_ONLINE),
};
