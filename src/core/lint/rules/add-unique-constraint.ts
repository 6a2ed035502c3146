/**
 * ADD UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX: PostgreSQL builds
 * the constraint's index while holding ACCESS EXCLUSIVE. Built CONCURRENTLY
 * first, the index makes ADD ... USING INDEX instant.
 */
import { readableName } from '../../identifier.js';
import { bareColumn, file, last, migration } from '../advice.js';
import type { ColumnDef, ConstraintDef } from '../action.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface AddUniqueConstraintHazard extends HazardBase<'add-unique-constraint'> {
  readonly table: string;
  readonly constraint: ConstraintDef;
  /** The column added with it (`ADD COLUMN code text UNIQUE`): its index is built over every old row too. */
  readonly column?: ColumnDef;
}

export const addUniqueConstraint: Rule<AddUniqueConstraintHazard> = {
  meta: {
    name: 'add-unique-constraint',
    family: 'index-not-concurrent',
    level: 'error',
    summary: 'ADD UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX',
    docs: ruleDocs('add-unique-constraint'),
  },
  check: {
    alter: {
      'add-constraint': (table, a) => {
        const { type, usingIndex } = a.constraint;
        const builds = type === 'exclude' || ((type === 'unique' || type === 'primary-key') && !usingIndex);
        return builds ? [{ rule: 'add-unique-constraint', ...partOf(table, a), constraint: a.constraint }] : [];
      },
      'add-column': (table, a) => {
        const constraint = a.column.constraints?.find((k) => k.type === 'unique' || k.type === 'primary-key');
        return constraint ? [{ rule: 'add-unique-constraint', ...partOf(table, a), constraint, column: a.column }] : [];
      },
    },
  },
  advise: ({ table, constraint: k, column }) => {
    const t = readableName(table);
    const bare = column ? bareColumn(table, column) : '';
    const name = readableName(k.name ?? `${last(table)}_${k.columns.join('_')}_key`);
    const kind = k.type === 'primary-key' ? 'PRIMARY KEY' : 'UNIQUE';
    const columns = k.columns.map(readableName).join(', ');
    return {
      message: `Adding ${k.type === 'exclude' ? 'an exclusion constraint' : `a ${kind} constraint`} to ${t} builds its index while holding ACCESS EXCLUSIVE: reads and writes wait for the whole build.`,
      instead: 'build the unique index CONCURRENTLY in a no-transaction migration, then add the constraint USING INDEX, which is instant.',
      ...(k.type !== 'exclude' && {
        fix:
          file(
            1,
            'the index',
            migration(
              `${bare}CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${t} (${columns});`,
              `DROP INDEX CONCURRENTLY ${name};${column ? `\nALTER TABLE ${t} DROP COLUMN ${readableName(column.name)};` : ''}`,
              true,
            ),
          ) +
          '\n' +
          file(
            2,
            'the constraint',
            migration(`ALTER TABLE ${t} ADD CONSTRAINT ${name} ${kind} USING INDEX ${name};`, `ALTER TABLE ${t} DROP CONSTRAINT ${name};`),
          ),
      }),
    };
  },
};
