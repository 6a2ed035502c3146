/**
 * ADD PRIMARY KEY USING INDEX on columns that may hold NULL: PostgreSQL sets
 * NOT NULL on them first, which scans every row under ACCESS EXCLUSIVE.
 * Columns already NOT NULL, or (since 12) proven so by a validated CHECK,
 * need no scan.
 */
import { readableName } from '../../identifier.js';
import { ruleDocs, partOf, type HazardBase, type Rule } from '../rule.js';

export interface PrimaryKeyNullableHazard extends HazardBase<'primary-key-nullable'> {
  readonly table: string;
  /** The key's columns that may hold NULL. */
  readonly columns: readonly string[];
}

export const primaryKeyNullable: Rule<PrimaryKeyNullableHazard> = {
  meta: {
    name: 'primary-key-nullable',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'PRIMARY KEY USING INDEX on columns that may hold NULL',
    docs: ruleDocs('primary-key-nullable'),
  },
  check: {
    alter: {
      'add-constraint': (table, a, { model, pgVersion }) => {
        if (a.constraint.type !== 'primary-key' || !a.constraint.usingIndex) return [];
        const nullable = (model.indexColumns(a.constraint.usingIndex) ?? []).filter(
          (c) => !model.column(table, c)?.notNull && !(pgVersion >= 12 && model.provesNotNull(table, c)),
        );
        return nullable.length > 0 ? [{ rule: 'primary-key-nullable', ...partOf(table, a), columns: nullable }] : [];
      },
    },
  },
  advise: ({ table, columns }) => ({
    message: `Adding the primary key to ${readableName(table)} USING an index sets NOT NULL on ${columns.join(', ')}, which checks every row under ACCESS EXCLUSIVE.`,
    instead: 'make the columns NOT NULL first, through a validated CHECK (col IS NOT NULL) (see set-not-null), then add the key.',
  }),
};
