/** ADD COLUMN ... GENERATED ALWAYS AS (...) STORED: computed and written for every old row, a rewrite under ACCESS EXCLUSIVE. */
import { readableName } from '../../identifier.js';
import { columnAddition } from '../added-column.js';
import { WHOLE_TABLE } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface AddStoredGeneratedColumnHazard extends HazardBase<'add-stored-generated-column'> {
  readonly table: string;
  readonly column: string;
}

export const addStoredGeneratedColumn: Rule<AddStoredGeneratedColumnHazard> = {
  meta: {
    name: 'add-stored-generated-column',
    family: 'rewrite',
    level: 'error',
    summary: 'ADD COLUMN ... GENERATED ALWAYS AS (...) STORED',
    docs: ruleDocs('add-stored-generated-column'),
  },
  check: {
    alter: {
      'add-column': (table, a, { model }) =>
        columnAddition(a.column, model) === 'stored-generated'
          ? [{ rule: 'add-stored-generated-column', ...partOf(table, a), column: a.column.name }]
          : [],
    },
  },
  advise: ({ table, column }) => ({
    message: `Adding the stored generated column ${readableName(column)} to ${readableName(table)} blocks reads and writes ${WHOLE_TABLE}.`,
    instead: 'add a plain column, keep it filled with a trigger, and fill the old rows in batches outside a transaction.',
  }),
};
