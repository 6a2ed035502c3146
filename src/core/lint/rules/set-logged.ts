/** ALTER TABLE ... SET LOGGED / SET UNLOGGED: PostgreSQL writes the table anew (and, for LOGGED, all of it to WAL) under ACCESS EXCLUSIVE. */
import { NO_ONLINE_WAY, rewritesUnderLock } from '../advice.js';
import { LINT_DOCS, partOf, type HazardBase, type Rule } from '../rule.js';

export interface SetLoggedHazard extends HazardBase<'set-logged'> {
  readonly table: string;
}

export const setLogged: Rule<SetLoggedHazard> = {
  meta: { name: 'set-logged', family: 'rewrite', level: 'error', summary: 'SET LOGGED / SET UNLOGGED', docs: LINT_DOCS },
  create: () => ({
    alter: (table, a) => (a.kind === 'set-logged' || a.kind === 'set-unlogged' ? [{ rule: 'set-logged', ...partOf(table, a) }] : []),
  }),
  advise: ({ table }) => rewritesUnderLock('SET LOGGED / UNLOGGED on', table, NO_ONLINE_WAY),
};
