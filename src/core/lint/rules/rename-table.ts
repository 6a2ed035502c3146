/** ALTER TABLE ... RENAME TO: every running query that uses the old name fails from the moment it commits. */
import { readableName } from '../../identifier.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface RenameTableHazard extends HazardBase<'rename-table'> {
  readonly table: string;
  readonly to: string;
}

/** What a rename does to the code that is running. */
export const BREAKS_OLD_NAME = 'breaks every running query that uses the old name, from the moment it commits until the new code is out.';

export const renameTable: Rule<RenameTableHazard> = {
  meta: {
    name: 'rename-table',
    family: 'destructive',
    level: 'error',
    summary: 'ALTER TABLE ... RENAME TO',
    docs: ruleDocs('rename-table'),
  },
  check: {
    alter: { 'rename-table': (table, a) => [{ rule: 'rename-table', ...partOf(table, a), to: a.to }] },
  },
  advise: ({ table, to }) => {
    const t = readableName(table);
    const renamed = readableName(to);
    return {
      message: `Renaming table ${t} to ${renamed} ${BREAKS_OLD_NAME}`,
      instead: `1. rename the table and create a view with the old name (CREATE VIEW ${t} AS SELECT * FROM ${renamed}), which simple queries can still write through; 2. deploy code that uses ${renamed}; 3. drop the view.`,
    };
  },
};
