/** DROP TABLE: running code that still uses the table breaks, and the data are gone once it commits. */
import { readableName } from '../../identifier.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface DropTableHazard extends HazardBase<'drop-table'> {
  readonly table: string;
}

/** The safe way to drop what code uses: stop using it first. */
export const DEPLOY_CODE_FIRST = 'first deploy code that no longer uses it, then drop it in a later migration, and acknowledge it there.';

export const dropTable: Rule<DropTableHazard> = {
  meta: { name: 'drop-table', family: 'destructive', level: 'warning', summary: 'DROP TABLE', docs: ruleDocs('drop-table') },
  check: {
    statement: { 'drop-table': (action) => action.tables.map((table) => ({ rule: 'drop-table', table })) },
  },
  advise: ({ table }) => ({
    message: `Dropping table ${readableName(table)} breaks any running code that still uses it, and the data are gone once it commits.`,
    instead: DEPLOY_CODE_FIRST,
  }),
};
