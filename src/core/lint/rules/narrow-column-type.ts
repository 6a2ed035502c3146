/**
 * ALTER COLUMN TYPE to a type that holds less (a shorter varchar, a smaller
 * integer or numeric): every row is checked or rewritten under ACCESS
 * EXCLUSIVE, a value that does not fit fails the migration, and code that
 * writes longer values breaks.
 */
import { readableName } from '../../identifier.js';
import { columnRetype } from '../column-types.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface NarrowColumnTypeHazard extends HazardBase<'narrow-column-type'> {
  readonly table: string;
  readonly column: string;
  /** The column's type before, when the schema model knows it. */
  readonly from?: string;
  readonly to: string;
}

export const narrowColumnType: Rule<NarrowColumnTypeHazard> = {
  meta: {
    name: 'narrow-column-type',
    family: 'destructive',
    level: 'error',
    summary: 'ALTER COLUMN TYPE to a type that holds less',
    docs: ruleDocs('narrow-column-type'),
  },
  check: {
    alter: {
      'alter-type': (table, a, { model }) => {
        const { change, ...facts } = columnRetype(table, a, model);
        return change.narrows ? [{ rule: 'narrow-column-type', ...partOf(table, a), ...facts }] : [];
      },
    },
  },
  advise: ({ table, column, from, to }) => ({
    message: `Changing ${readableName(table)}.${readableName(column)}${from ? ` from ${from}` : ''} to ${to} narrows what it holds: it checks or rewrites every row under ACCESS EXCLUSIVE, fails on a value that does not fit, and code that writes longer values breaks.`,
    instead:
      'make sure no row and no running code needs the wider type, then add the limit as a CHECK ... NOT VALID and VALIDATE it in a later migration.',
  }),
};
