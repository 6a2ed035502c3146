/** ALTER TABLE ... RENAME COLUMN: every running query that uses the old name fails from the moment it commits. */
import { readableName } from '../../identifier.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';
import { BREAKS_OLD_NAME } from './rename-table.js';

export interface RenameColumnHazard extends HazardBase<'rename-column'> {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

export const renameColumn: Rule<RenameColumnHazard> = {
  meta: { name: 'rename-column', family: 'destructive', level: 'error', summary: 'RENAME COLUMN', docs: ruleDocs('rename-column') },
  check: {
    alter: { 'rename-column': (table, a) => [{ rule: 'rename-column', ...partOf(table, a), from: a.from, to: a.to }] },
  },
  advise: ({ table, from, to }) => {
    const [old, renamed] = [readableName(from), readableName(to)];
    return {
      message: `Renaming column ${readableName(table)}.${old} to ${renamed} ${BREAKS_OLD_NAME}`,
      instead: `1. add the new column ${renamed}; 2. write to both in the application; 3. fill ${renamed} in batches; 4. move reads to it; 5. stop writing ${old}; 6. drop ${old}.`,
    };
  },
};
