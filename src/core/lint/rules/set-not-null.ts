/**
 * ALTER COLUMN ... SET NOT NULL: PostgreSQL scans every row under ACCESS
 * EXCLUSIVE, unless (since 12) a validated CHECK (col IS NOT NULL) already
 * proves it, which then clears it.
 */
import { readableName } from '../../identifier.js';
import { file, last, migration } from '../advice.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface SetNotNullHazard extends HazardBase<'set-not-null'> {
  readonly table: string;
  readonly column: string;
}

export const setNotNull: Rule<SetNotNullHazard> = {
  meta: {
    name: 'set-not-null',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'SET NOT NULL without a validated CHECK (col IS NOT NULL) (any, before PostgreSQL 12)',
    docs: ruleDocs('set-not-null'),
  },
  check: {
    alter: {
      'set-not-null': (table, a, { model, pgVersion }) => {
        if (pgVersion >= 12 && model.provesNotNull(table, a.column))
          return [{ rule: 'set-not-null', table, column: a.column, cleared: 'a validated CHECK proves the column not null: no scan' }];
        return [{ rule: 'set-not-null', ...partOf(table, a), column: a.column }];
      },
    },
  },
  advise: ({ table, column }, { pgVersion }) => {
    const t = readableName(table);
    const c = readableName(column);
    const check = readableName(`${last(table)}_${column}_not_null_check`);
    return {
      message: `Setting NOT NULL on ${t}.${c} blocks reads and writes while every row is checked${pgVersion < 12 ? '' : ', since no validated CHECK proves the column not null'}.`,
      instead:
        pgVersion < 12
          ? 'PostgreSQL before 12 always scans for SET NOT NULL; run it when the table is quiet, or keep a validated CHECK (col IS NOT NULL) instead.'
          : 'add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL, which uses it and does not scan.',
      fix:
        file(
          1,
          'the check',
          migration(
            `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID;`,
            `ALTER TABLE ${t} DROP CONSTRAINT ${check};`,
          ),
        ) +
        '\n' +
        file(
          2,
          'validate it, then NOT NULL',
          migration(
            `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check};\nALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;\nALTER TABLE ${t} DROP CONSTRAINT ${check};`,
            `ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL;`,
          ),
        ),
    };
  },
};
