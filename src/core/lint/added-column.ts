/**
 * What ADD COLUMN does to the rows a table already has, one answer per
 * column: several rules read it (stored generated and identity columns are
 * computed for every row, a volatile default is evaluated per row, a
 * constant one is stored once since PostgreSQL 11, NOT NULL without a
 * default fails on the first row). A default is volatile as PostgreSQL
 * judges it (contain_volatile_functions, after inlining).
 */
import type { ColumnDef } from './action.js';
import type { SchemaModel } from './model.js';

export type ColumnAddition = 'stored-generated' | 'identity' | 'required' | 'nullable' | 'volatile-default' | 'constant-default';

/**
 * What adding `column` does to old rows; the first of PostgreSQL's concerns
 * that applies. A default's functions are volatile when PostgreSQL's
 * catalog marks them so, or when the migrations defined them without
 * STABLE or IMMUTABLE (PostgreSQL's default is VOLATILE).
 */
export function columnAddition(column: ColumnDef, model?: SchemaModel): ColumnAddition {
  if (column.generatedStored) return 'stored-generated';
  if (column.identity) return 'identity';
  if (column.default === undefined || /^null$/i.test(column.default)) return column.notNull ? 'required' : 'nullable';
  return (column.defaultCalls ?? []).some((f) => isVolatile(f, model)) ? 'volatile-default' : 'constant-default';
}

/**
 * Whether a call of `name` is volatile: a built-in volatile function; a
 * function the migrations defined VOLATILE, unless the planner inlines it,
 * when what its expression calls decides. Unknown functions are taken as not.
 */
function isVolatile(name: string, model: SchemaModel | undefined, depth = 0): boolean {
  const routine = model?.routine(name);
  // A built-in's name, in any schema (extensions.uuid_generate_v4()), unless the migrations defined a function of that name.
  if (!routine) return VOLATILE.has(name.split('.').pop() ?? name);
  if (depth > 3) return false;
  // Declared STABLE or IMMUTABLE, it is that (inlined, its body may be no more volatile than it says).
  return routine.volatile && routine.inlined ? routine.inlined.some((f) => isVolatile(f, model, depth + 1)) : routine.volatile;
}

/** PostgreSQL's built-in volatile functions a default may call (pg_proc.provolatile = 'v'). */
const VOLATILE = new Set([
  'random',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'nextval',
  'uuidv4',
  'uuidv7',
  'setseed',
  'txid_current',
  'pg_current_xact_id',
]);
