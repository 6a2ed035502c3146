/** ALTER TABLE ... SET TABLESPACE: PostgreSQL copies the table's files to the new tablespace under ACCESS EXCLUSIVE. */
import { NO_ONLINE_WAY, rewritesUnderLock } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface SetTablespaceHazard extends HazardBase<'set-tablespace'> {
  readonly table: string;
}

export const setTablespace: Rule<SetTablespaceHazard> = {
  meta: {
    name: 'set-tablespace',
    family: 'rewrite',
    level: 'error',
    summary: 'ALTER TABLE ... SET TABLESPACE',
    docs: ruleDocs('set-tablespace'),
  },
  check: {
    alter: { 'set-tablespace': (table, a) => [{ rule: 'set-tablespace', ...partOf(table, a) }] },
  },
  advise: ({ table }) => rewritesUnderLock('SET TABLESPACE on', table, NO_ONLINE_WAY),
};
