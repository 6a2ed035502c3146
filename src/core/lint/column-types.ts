/**
 * Whether changing a column from one type to another rewrites the table,
 * and whether it narrows what the column can hold. PostgreSQL skips the
 * rewrite only for binary-compatible changes that need no check of the
 * data: a longer or unlimited varchar, varchar to text and back to an
 * unlimited varchar, a wider numeric with the same scale, cidr to inet, and
 * more (or unlimited) fractional-second precision of a time, timestamp or
 * interval (the types' transform functions, varchar_support,
 * numeric_support, timestamp_support..., say such a cast changes nothing).
 */
import type { SchemaModel } from './model.js';

interface Parsed {
  readonly base: string;
  readonly args: readonly number[];
}

const ALIASES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  'character varying': 'varchar',
  character: 'char',
  bpchar: 'char',
  decimal: 'numeric',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  bool: 'boolean',
  timestamptz: 'timestamp with time zone',
  'timestamp without time zone': 'timestamp',
  timetz: 'time with time zone',
  'time without time zone': 'time',
  varbit: 'bit varying',
};

function parse(type: string): Parsed {
  const m = /^(.*?)(?:\(([^)]*)\))?$/.exec(
    type
      .trim()
      .toLowerCase()
      .replace(/^pg_catalog\./, ''),
  )!;
  const base = m[1]!.trim().replace(/\s+/g, ' ');
  const args = (m[2] ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  return { base: ALIASES[base] ?? base, args };
}

/** Types whose modifier is a fractional-second precision (interval's, when written with one). */
const FRACTIONAL_SECONDS = new Set(['timestamp', 'timestamp with time zone', 'time', 'time with time zone', 'interval']);

const INTEGER_WIDTH: Readonly<Record<string, number>> = { smallint: 2, integer: 4, bigint: 8 };

export interface TypeChange {
  /** The table is rewritten (or, for a narrowing, every row is checked) under ACCESS EXCLUSIVE. */
  readonly rewrites: boolean;
  /** Some values the column holds now may not fit: the change can fail or cut data, and running code may break. */
  readonly narrows: boolean;
}

/** What `ALTER COLUMN ... TYPE to` does to a column of type `from`; `from` undefined when unknown. */
export function typeChange(from: string | undefined, to: string, using: boolean): TypeChange {
  const b = parse(to);
  if (from === undefined) {
    // Unknown current type: unlimited text types are the usual widening target, and change nothing on disk.
    const widening =
      !using && (b.base === 'text' || (b.base === 'varchar' && b.args.length === 0) || (b.base === 'numeric' && b.args.length === 0));
    return { rewrites: !widening, narrows: false };
  }
  const a = parse(from);
  const wa = INTEGER_WIDTH[a.base];
  const wb = INTEGER_WIDTH[b.base];
  if (wa !== undefined && wb !== undefined) return { rewrites: wa !== wb || using, narrows: wb < wa };
  if (using) return { rewrites: true, narrows: false };
  const textual = (p: Parsed) => p.base === 'text' || p.base === 'varchar';
  if (textual(a) && textual(b)) {
    const limit = (p: Parsed) => (p.base === 'text' ? Infinity : (p.args[0] ?? Infinity));
    const narrows = limit(b) < limit(a);
    return { rewrites: narrows, narrows };
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.args.length === 0) return { rewrites: false, narrows: false };
    if (a.args.length === 0) return { rewrites: true, narrows: true };
    const [pa = 0, sa = 0] = a.args;
    const [pb = 0, sb = 0] = b.args;
    const same = sa === sb && pb >= pa;
    return { rewrites: !same, narrows: pb - sb < pa - sa || sb < sa };
  }
  if (a.base === 'bit varying' && b.base === 'bit varying') {
    const narrows = (b.args[0] ?? Infinity) < (a.args[0] ?? Infinity);
    return { rewrites: narrows, narrows };
  }
  if (a.base === 'cidr' && b.base === 'inet') return { rewrites: false, narrows: false };
  if (a.base === b.base && FRACTIONAL_SECONDS.has(a.base)) {
    const narrows = (b.args[0] ?? Infinity) < (a.args[0] ?? Infinity);
    return { rewrites: narrows, narrows: false };
  }
  if (a.base === b.base && a.args.join() === b.args.join()) return { rewrites: false, narrows: false };
  // Anything else rewrites; to text it cannot lose data, to a bounded type it may not fit.
  const narrows = b.base !== 'text' && !(b.base === 'varchar' && b.args.length === 0);
  return { rewrites: true, narrows: narrows && (wb !== undefined || b.args.length > 0) };
}

/** An ALTER COLUMN TYPE on the schema it runs on: the column's type before (when the model knows it), after, and the change. */
export interface ColumnRetype {
  readonly column: string;
  readonly from?: string;
  readonly to: string;
  readonly change: TypeChange;
}

export function columnRetype(
  table: string,
  action: { readonly column: string; readonly type: string; readonly using: boolean },
  model: SchemaModel,
): ColumnRetype {
  const from = model.column(table, action.column)?.type || undefined;
  const change = typeChange(from, action.type, action.using);
  return from ? { column: action.column, from, to: action.type, change } : { column: action.column, to: action.type, change };
}
