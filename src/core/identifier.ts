/**
 * The one identifier quoter: every name pgshift writes into SQL goes
 * through here, whether a statement it sends (always quoted) or SQL it
 * shows a person (quoted only where PostgreSQL needs it, as its own
 * quote_ident does).
 */

/**
 * PostgreSQL's reserved key words (and those reserved but allowed as a
 * function or type name), which a bare name may not be: `CREATE INDEX ON
 * order` is a syntax error. From the key word appendix of the manual
 * (PostgreSQL 18); a word reserved only in the SQL standard is not here.
 */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from ' +
    'full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime ' +
    'localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning ' +
    'right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user ' +
    'using variadic verbose when where window with'
  ).split(' '),
);

const PLAIN = /^[a-z_][a-z0-9_$]*$/;

/**
 * Double-quotes an identifier, doubling any quote inside. `readable`
 * leaves a plain lower-case name that is no reserved word as it is, for SQL
 * a person reads.
 */
export function quoteIdent(name: string, how: 'always' | 'readable' = 'always'): string {
  if (how === 'readable' && PLAIN.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` as readable SQL, each part quoted where it needs to be; the name is split at its dots. */
export const readableName = (dotted: string): string =>
  dotted
    .split('.')
    .map((part) => quoteIdent(part, 'readable'))
    .join('.');
