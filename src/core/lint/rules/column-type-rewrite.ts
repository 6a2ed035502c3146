/**
 * ALTER COLUMN TYPE to a type that is not binary-compatible with the old one
 * (or with USING): PostgreSQL rewrites the table and its indexes under
 * ACCESS EXCLUSIVE. A binary-compatible change (a longer varchar, varchar to
 * text) only changes the catalog, and is cleared.
 */
import { readableName } from '../../identifier.js';
import { file, migration, WHOLE_TABLE } from '../advice.js';
import { columnRetype } from '../column-types.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface ColumnTypeRewriteHazard extends HazardBase<'column-type-rewrite'> {
  readonly table: string;
  readonly column: string;
  /** The column's type before, when the schema model knows it. */
  readonly from?: string;
  readonly to: string;
}

export const columnTypeRewrite: Rule<ColumnTypeRewriteHazard> = {
  meta: {
    name: 'column-type-rewrite',
    family: 'rewrite',
    level: 'error',
    summary: 'ALTER COLUMN TYPE to a type that is not binary-compatible, or with USING',
    docs: ruleDocs('column-type-rewrite'),
  },
  check: {
    alter: {
      'alter-type': (table, a, { model }) => {
        const { change, ...facts } = columnRetype(table, a, model);
        if (change.narrows) return [];
        if (change.rewrites) return [{ rule: 'column-type-rewrite', ...partOf(table, a), ...facts }];
        const cleared = `${facts.from ?? 'the old type'} to ${facts.to} is binary-compatible: no rewrite, no scan`;
        return [{ rule: 'column-type-rewrite', table, ...facts, cleared }];
      },
    },
  },
  advise: ({ table, column, from, to }) => {
    const t = readableName(table);
    const renamed = readableName(`${column}_new`);
    return {
      message: `Changing the type of ${t}.${readableName(column)}${from ? ` from ${from}` : ''} to ${to} blocks reads and writes ${WHOLE_TABLE}${from ? '' : " (pgshift could not see the column's current type; a wider varchar or numeric would not rewrite)"}.`,
      instead: `1. add a new column of the new type; 2. write to both columns in the application; 3. fill the new column in batches; 4. move reads to it; 5. stop writing the old one; 6. drop it (or rename in a short migration with a lock_timeout).`,
      fix: file(
        1,
        'the new column',
        migration(`ALTER TABLE ${t} ADD COLUMN ${renamed} ${to};`, `ALTER TABLE ${t} DROP COLUMN ${renamed};`),
      ),
    };
  },
};
