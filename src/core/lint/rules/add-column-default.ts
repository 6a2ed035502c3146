/** ADD COLUMN with any DEFAULT before PostgreSQL 11, which stores the value in every row: a rewrite under ACCESS EXCLUSIVE. */
import { columnAddition } from '../added-column.js';
import type { ColumnDef } from '../action.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';
import { defaultRewriteAdvice } from './volatile-default.js';

export interface AddColumnDefaultHazard extends HazardBase<'add-column-default'> {
  readonly table: string;
  readonly column: ColumnDef;
}

export const addColumnDefault: Rule<AddColumnDefaultHazard> = {
  meta: {
    name: 'add-column-default',
    family: 'rewrite',
    level: 'error',
    summary: 'ADD COLUMN with any DEFAULT before PostgreSQL 11',
    docs: ruleDocs('add-column-default'),
  },
  check: {
    alter: {
      'add-column': (table, a, ctx) =>
        columnAddition(a.column, ctx.model) === 'constant-default' && ctx.pgVersion < 11
          ? [{ rule: 'add-column-default', ...partOf(table, a), column: a.column }]
          : [],
    },
  },
  advise: (hazard, input) => defaultRewriteAdvice(hazard, input, ' (before PostgreSQL 11 every default does)'),
};
