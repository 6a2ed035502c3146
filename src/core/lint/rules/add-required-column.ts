/** ADD COLUMN ... NOT NULL without a DEFAULT: the old rows would hold NULL, so it fails on a table with rows. */
import { readableName } from '../../identifier.js';
import { columnAddition } from '../added-column.js';
import { migration } from '../advice.js';
import type { ColumnDef } from '../action.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface AddRequiredColumnHazard extends HazardBase<'add-required-column'> {
  readonly table: string;
  readonly column: ColumnDef;
}

export const addRequiredColumn: Rule<AddRequiredColumnHazard> = {
  meta: {
    name: 'add-required-column',
    family: 'other',
    level: 'error',
    summary: 'ADD COLUMN ... NOT NULL without a DEFAULT: fails on a table with rows',
    docs: ruleDocs('add-required-column'),
  },
  check: {
    alter: {
      'add-column': (table, a, { model }) =>
        columnAddition(a.column, model) === 'required' ? [{ rule: 'add-required-column', ...partOf(table, a), column: a.column }] : [],
    },
  },
  advise: ({ table, column }) => {
    const t = readableName(table);
    const c = readableName(column.name);
    return {
      message: `Adding column ${c} to ${t} as NOT NULL without a DEFAULT fails as soon as ${t} has a row: the old rows would hold NULL.`,
      instead:
        'add it with a DEFAULT (a constant one is instant since PostgreSQL 11), or add it nullable, fill it in batches, then make it NOT NULL through a validated CHECK.',
      fix: migration(`ALTER TABLE ${t} ADD COLUMN ${c} ${column.type} NOT NULL DEFAULT <value>;`, `ALTER TABLE ${t} DROP COLUMN ${c};`),
    };
  },
};
