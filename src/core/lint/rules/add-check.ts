/**
 * ADD CHECK without NOT VALID: PostgreSQL checks every old row while holding
 * ACCESS EXCLUSIVE. With NOT VALID only new rows are checked, and a later
 * VALIDATE lets reads and writes go on; that form is cleared.
 */
import { readableName } from '../../identifier.js';
import { bareColumn, file, last, migration } from '../advice.js';
import type { AlterAction, ColumnDef, ConstraintDef } from '../action.js';
import { ruleDocs, partOf, type Advice, type HazardBase, type OfKind, type Rule } from '../rule.js';

/** A constraint that checks the old rows when it is added: add-check's and add-foreign-key's hazard. */
export interface ConstraintHazard<Name extends 'add-check' | 'add-foreign-key'> extends HazardBase<Name> {
  readonly table: string;
  readonly constraint: ConstraintDef;
  /** The column added with it, for a column constraint (`ADD COLUMN c int CHECK (c > 0)`). */
  readonly column?: ColumnDef;
}

export type AddCheckHazard = ConstraintHazard<'add-check'>;

export const addCheck: Rule<AddCheckHazard> = {
  meta: {
    name: 'add-check',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'ADD CHECK without NOT VALID',
    docs: ruleDocs('add-check'),
  },
  check: {
    alter: {
      'add-constraint': (table, a) => checksOldRows('add-check', 'check', table, a),
      'add-column': (table, a) => columnChecksOldRows('add-check', 'check', table, a),
    },
  },
  advise: (hazard) => notValidAdvice(hazard, 'a CHECK', 'check', 'ACCESS EXCLUSIVE: reads and writes wait'),
};

/** The `rule`'s hazard when `a` adds a constraint of `type` that checks the old rows; cleared when it is NOT VALID. */
export function checksOldRows<Name extends 'add-check' | 'add-foreign-key'>(
  rule: Name,
  type: ConstraintDef['type'],
  table: string,
  a: OfKind<AlterAction, 'add-constraint'>,
): ConstraintHazard<Name>[] {
  if (a.constraint.type !== type) return [];
  const constraint = a.constraint;
  if (constraint.notValid) return [{ rule, table, constraint, cleared: 'NOT VALID: old rows are not checked' }];
  return [{ rule, ...partOf(table, a), constraint }];
}

/**
 * The `rule`'s hazard when `a` adds a column with a constraint of `type`:
 * PostgreSQL checks it on every old row (a scan, even of a column that is
 * NULL everywhere) before the ALTER TABLE commits.
 */
export function columnChecksOldRows<Name extends 'add-check' | 'add-foreign-key'>(
  rule: Name,
  type: ConstraintDef['type'],
  table: string,
  a: OfKind<AlterAction, 'add-column'>,
): ConstraintHazard<Name>[] {
  const constraint = a.column.constraints?.find((k) => k.type === type);
  return constraint ? [{ rule, ...partOf(table, a), constraint, column: a.column }] : [];
}

/** Add it NOT VALID, then VALIDATE it in a later migration (a column added with it: the column first, bare). */
export function notValidAdvice(
  { table, constraint, column }: { readonly table: string; readonly constraint: ConstraintDef; readonly column?: ColumnDef | undefined },
  what: string,
  suffix: string,
  holding: string,
): Advice {
  const t = readableName(table);
  const name = readableName(constraint.name ?? `${last(table)}_${column ? `${column.name}_` : ''}${suffix}`);
  const c = column && readableName(column.name);
  const bare = column && bareColumn(table, column);
  return {
    message: `Adding ${what} to ${t}${c ? ` with column ${c}` : ''} checks every row while holding ${holding}.`,
    instead: `${bare ? 'add the column without it, then ' : ''}add it NOT VALID (new rows are checked at once), then VALIDATE it in a later migration: VALIDATE lets reads and writes go on.`,
    fix:
      file(
        1,
        bare ? 'the column, and its constraint not yet checked' : 'the constraint, not yet checked',
        migration(
          `${bare ?? ''}ALTER TABLE ${t} ADD CONSTRAINT ${name} ${constraint.text} NOT VALID;`,
          c ? `ALTER TABLE ${t} DROP COLUMN ${c};` : `ALTER TABLE ${t} DROP CONSTRAINT ${name};`,
        ),
      ) +
      '\n' +
      file(2, 'check the old rows', migration(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${name};`)),
  };
}
