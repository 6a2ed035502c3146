/** ADD COLUMN with a volatile DEFAULT: every row gets its own value, so PostgreSQL rewrites the table under ACCESS EXCLUSIVE. */
import { readableName } from '../../identifier.js';
import { columnAddition } from '../added-column.js';
import { batchFix, file, migration, WHOLE_TABLE } from '../advice.js';
import type { ColumnDef } from '../action.js';
import { ruleDocs, partOf, type Advice, type AdviceInput, type HazardBase, type Rule } from '../rule.js';

export interface VolatileDefaultHazard extends HazardBase<'volatile-default'> {
  readonly table: string;
  readonly column: ColumnDef;
}

export const volatileDefault: Rule<VolatileDefaultHazard> = {
  meta: {
    name: 'volatile-default',
    family: 'rewrite',
    level: 'error',
    summary: 'ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid(), nextval())',
    docs: ruleDocs('volatile-default'),
  },
  check: {
    alter: {
      'add-column': (table, a, { model }) =>
        columnAddition(a.column, model) === 'volatile-default' ? [{ rule: 'volatile-default', ...partOf(table, a), column: a.column }] : [],
    },
  },
  advise: (hazard, input) => defaultRewriteAdvice(hazard, input, ', since every row gets its own value'),
};

/** A column added with a default that rewrites the table (`why` says why this one does): add it bare, then fill it in batches. */
export function defaultRewriteAdvice(
  hazard: { readonly table: string; readonly column: ColumnDef },
  input: AdviceInput,
  why: string,
): Advice {
  const t = readableName(hazard.table);
  const c = readableName(hazard.column.name);
  const { type, default: value } = hazard.column;
  return {
    message: `Adding column ${c} to ${t} with DEFAULT ${value ?? ''} blocks reads and writes ${WHOLE_TABLE}${why}.`,
    instead: 'add the column without the default, set the default for new rows, then fill the old rows in batches outside a transaction.',
    fix:
      file(
        1,
        'the column',
        migration(
          `ALTER TABLE ${t} ADD COLUMN ${c} ${type};\nALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${value ?? 'NULL'};`,
          `ALTER TABLE ${t} DROP COLUMN ${c};`,
        ),
      ) +
      '\n' +
      file(2, 'the old rows, in batches', batchFix(t, input.key, `UPDATE ${t} SET ${c} = ${value ?? 'NULL'}`, `${c} IS NULL`)),
  };
}
