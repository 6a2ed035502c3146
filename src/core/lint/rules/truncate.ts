/** TRUNCATE: every row is gone at once, under ACCESS EXCLUSIVE; with CASCADE, the rows of every table that references it too. */
import { readableName } from '../../identifier.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export type TruncateHazard = HazardBase<'truncate'>;

export const truncate: Rule<TruncateHazard> = {
  meta: { name: 'truncate', family: 'destructive', level: 'warning', summary: 'TRUNCATE', docs: ruleDocs('truncate') },
  check: {
    statement: {
      truncate: (action, { model }) => {
        const table = model.firstInUse(action.tables);
        return [{ rule: 'truncate', ...(table && { table }) }];
      },
    },
  },
  advise: ({ table }, { sql }) => ({
    message: `TRUNCATE of ${readableName(table ?? '')} deletes every row at once under ACCESS EXCLUSIVE${/\bCASCADE\b/i.test(sql) ? ', and CASCADE empties every table that references it too' : ''}.`,
    instead: 'make sure nothing needs the rows, then acknowledge it; to empty a table in use, DELETE in batches instead.',
  }),
};
