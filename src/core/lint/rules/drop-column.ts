/** ALTER TABLE ... DROP COLUMN: running code that still uses the column breaks, and its data are gone once it commits. */
import { readableName } from '../../identifier.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';
import { DEPLOY_CODE_FIRST } from './drop-table.js';

export interface DropColumnHazard extends HazardBase<'drop-column'> {
  readonly table: string;
  readonly column: string;
}

export const dropColumn: Rule<DropColumnHazard> = {
  meta: { name: 'drop-column', family: 'destructive', level: 'warning', summary: 'DROP COLUMN', docs: ruleDocs('drop-column') },
  check: {
    alter: { 'drop-column': (table, a) => [{ rule: 'drop-column', ...partOf(table, a), column: a.column }] },
  },
  advise: ({ table, column }) => ({
    message: `Dropping column ${readableName(table)}.${readableName(column)} breaks any running code that still uses it, and the data are gone once it commits.`,
    instead: DEPLOY_CODE_FIRST,
  }),
};
