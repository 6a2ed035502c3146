/** ADD COLUMN serial, bigserial or GENERATED ... AS IDENTITY: a value for every old row, written by a rewrite under ACCESS EXCLUSIVE. */
import { readableName } from '../../identifier.js';
import { columnAddition } from '../added-column.js';
import { WHOLE_TABLE } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface AddAutoIncrementColumnHazard extends HazardBase<'add-auto-increment-column'> {
  readonly table: string;
  readonly column: string;
}

export const addAutoIncrementColumn: Rule<AddAutoIncrementColumnHazard> = {
  meta: {
    name: 'add-auto-increment-column',
    family: 'rewrite',
    level: 'error',
    summary: 'ADD COLUMN serial, bigserial or GENERATED ... AS IDENTITY',
    docs: ruleDocs('add-auto-increment-column'),
  },
  check: {
    alter: {
      'add-column': (table, a, { model }) =>
        columnAddition(a.column, model) === 'identity'
          ? [{ rule: 'add-auto-increment-column', ...partOf(table, a), column: a.column.name }]
          : [],
    },
  },
  advise: ({ table, column }) => ({
    message: `Adding the auto-increment column ${readableName(column)} to ${readableName(table)} blocks reads and writes ${WHOLE_TABLE}.`,
    instead:
      'add a plain nullable column, give it a sequence default for new rows, fill the old rows in batches, then add NOT NULL through a validated CHECK.',
  }),
};
