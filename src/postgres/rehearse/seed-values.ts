/**
 * A synthetic value for a column, as SQL over the row number `g.i` (1..N):
 * distinct per row (unique and primary keys hold), of the column's type
 * (domains through their base type, enums cycling through their labels),
 * within a CHECK that lists the allowed values or bounds a number.
 */
import { quoteIdent } from '../../core/identifier.js';
import { quoteLiteral } from '../sql.js';

/** A column as the seeding reads it from the catalog. */
export interface SeedColumn {
  readonly name: string;
  /** format_type of the column's own type (a domain's name, varchar(20)). */
  readonly type: string;
  /** The base type's name and category (domains resolved), its typmod, the element type's for arrays. */
  readonly base: string;
  readonly category: string;
  readonly typmod: number;
  readonly elem: string | null;
  readonly elemCategory: string | null;
  readonly notNull: boolean;
  /** Filled by the server: a default, an identity, a generated column. */
  readonly serverFilled: boolean;
  readonly enumLabels: readonly string[] | null;
  /** The single-column CHECKs on it, as pg_get_constraintdef prints them. */
  readonly checks: readonly string[];
}

const I = 'g.i';

/** The value of `column` for row `g.i`, cast to the column's type; NULL for a nullable column of a type it cannot make. */
export function valueOf(column: SeedColumn): string {
  const cast = (expr: string) => `(${expr})::${column.type}`;
  const listed = column.checks.map(allowedValues).find((v) => v !== undefined);
  if (listed) return cast(`(ARRAY[${listed.join(', ')}])[1 + (${I} % ${listed.length})::int4]`);
  const range = column.checks.map(bounds).find((b) => b !== undefined);
  if (range) return cast(`${range.lo} + (${I} % ${range.hi - range.lo + 1})`);
  const made = byType(column.base, column.category, column.typmod, column.enumLabels);
  if (made !== undefined) return cast(made);
  if (column.category === 'A' && column.elem !== null) {
    const inner = byType(column.elem, column.elemCategory ?? '', -1, null);
    if (inner !== undefined) return cast(`ARRAY[${inner}]`);
  }
  return column.notNull ? cast(`${I}::text`) : 'NULL';
}

function byType(base: string, category: string, typmod: number, labels: readonly string[] | null): string | undefined {
  if (labels !== null)
    return labels.length === 0 ? undefined : `(ARRAY[${labels.map(quoteLiteral).join(', ')}])[1 + (${I} % ${labels.length})::int4]`;
  switch (base) {
    case 'int2':
      return `${I} % 32767`;
    case 'numeric': {
      if (typmod < 4) return I;
      const precision = ((typmod - 4) >> 16) & 0xffff;
      const scale = (typmod - 4) & 0xffff;
      return precision - scale >= 18 ? I : `${I} % ${10 ** (precision - scale)}`;
    }
    case 'bool':
      return `${I} % 2 = 0`;
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return `timestamp '2020-01-01' + ${I} * interval '1 minute'`;
    case 'time':
    case 'timetz':
      return `time '00:00' + ${I} * interval '1 second'`;
    case 'interval':
      return `${I} * interval '1 second'`;
    case 'uuid':
      return `pg_catalog.md5(${I}::text)::uuid`;
    case 'json':
    case 'jsonb':
      return `pg_catalog.json_build_object('i', ${I})`;
    case 'bytea':
      return `pg_catalog.decode(pg_catalog.md5(${I}::text), 'hex')`;
    case 'inet':
      return `'10.0.0.0'::inet + ${I}`;
  }
  if (category === 'N') return I;
  if (category === 'S') {
    // varchar(n) and char(n): the row number's last digits, so that short keys stay as distinct as they can.
    const length = typmod >= 4 ? typmod - 4 : 0;
    return length > 0 ? `pg_catalog.right('v' || ${I}, ${length})` : `'v' || ${I}`;
  }
  return undefined;
}

/** `status IN ('a', 'b')` as the catalog prints it: its literals, quoted again; undefined for any other CHECK. */
function allowedValues(def: string): string[] | undefined {
  if (!/= ANY \(|^CHECK \(\(\(?[^()]+\)?(::\w+)? = '/.test(def) || /<|>|\bAND\b|\bNOT\b/.test(def)) return undefined;
  const literals = [...def.matchAll(/'((?:[^']|'')*)'/g)].map((m) => quoteLiteral(m[1]!.replace(/''/g, "'")));
  return literals.length > 0 ? literals : undefined;
}

/** `n BETWEEN 1 AND 5`, `n > 0`, `n <= 100`: the integer bounds; undefined for any other CHECK. */
function bounds(def: string): { lo: number; hi: number } | undefined {
  if (/\bOR\b|'/.test(def)) return undefined;
  const lower = /(>=?) \(?(-?\d+)\)?/.exec(def);
  const upper = /(<=?) \(?(-?\d+)\)?/.exec(def);
  if (!lower && !upper) return undefined;
  const lo = lower ? Number(lower[2]) + (lower[1] === '>' ? 1 : 0) : 1;
  const hi = upper ? Number(upper[2]) - (upper[1] === '<' ? 1 : 0) : lo + 1_000_000_000;
  return hi >= lo ? { lo, hi } : undefined;
}

/** The name quoted, for the INSERT's column list. */
export const columnName = (c: SeedColumn): string => quoteIdent(c.name);
