/** ALTER TABLE ... SET LOGGED / SET UNLOGGED: PostgreSQL writes the table anew (and, for LOGGED, all of it to WAL) under ACCESS EXCLUSIVE. */
import { NO_ONLINE_WAY, rewritesUnderLock } from '../advice.js';
import type { AlterAction } from '../action.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface SetLoggedHazard extends HazardBase<'set-logged'> {
  readonly table: string;
}

const rewrite = (table: string, a: AlterAction): SetLoggedHazard[] => [{ rule: 'set-logged', ...partOf(table, a) }];

export const setLogged: Rule<SetLoggedHazard> = {
  meta: { name: 'set-logged', family: 'rewrite', level: 'error', summary: 'SET LOGGED / SET UNLOGGED', docs: ruleDocs('set-logged') },
  check: { alter: { 'set-logged': rewrite, 'set-unlogged': rewrite } },
  advise: ({ table }) => rewritesUnderLock('SET LOGGED / UNLOGGED on', table, NO_ONLINE_WAY),
};
