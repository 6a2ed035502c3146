/**
 * The catalog read that re-reads only what changed since the last one: the
 * same rows as the snapshot query (queries.ts), but the per-relation classes
 * only for the relations whose catalog rows changed and those whose text
 * names them; everything else is the caller's from the last read.
 *
 * What changed is exact, not guessed. Every catalog row a relation's rows
 * are made from is one of its items (its pg_class row, its indexes', its
 * columns, constraints, defaults, triggers, policies, rules, row type,
 * comments, inheritance, sequence and foreign-table rows, and its own
 * dependencies). PostgreSQL writes a new row version, with a new xmin, for
 * every INSERT and UPDATE of a catalog row, so a relation whose items are
 * as many as before and none newer than the last read's snapshot is as it
 * was; a deleted item lowers the count. The few in-place updates the server
 * makes (page counts, relhasindex, an index's valid/ready/live flags in some
 * versions) leave xmin alone: of those the snapshot reads only the flags,
 * which are read here as they are.
 *
 * A relation's text also holds other objects' names (a foreign key, the
 * table it references; a view, its tables and columns; a default, its
 * sequence): the relations that depend (pg_depend) on a changed one are
 * read again too, and so are those that depend on a type, function,
 * collation, operator... that is new or changed (`NAMED`). A change to
 * schemas, roles, access methods, extensions or tablespaces (the `stamp`)
 * reads every relation again. The non-relation classes are always read whole.
 */
import { array } from './sql-parts.js';
import { OBJECT_CLASSES, RELATION_CLASSES, USER_RELATIONS, USER_SCHEMAS } from './queries.js';

/** An xid8 (as text) as the 32-bit xid rows carry. */
const xid = (xid8: string) => `((${xid8}::numeric % 4294967296)::bigint)::text::xid`;

/**
 * What the last read saw: `$1` its snapshot's xmax, the first transaction it
 * did not see (NULL for a first read), and `$5` the transactions still
 * running then. `d`: how far back that xmax is now.
 */
const HORIZON = `SELECT CASE WHEN $1::text IS NULL THEN 2147483647 ELSE age(${xid('$1::text')}) END AS d,
  ARRAY(SELECT ${xid('r')} FROM unnest($5::text[]) AS r) AS running`;

/**
 * Whether a row is newer than the last read: its xmin is that read's xmax or
 * later, or was running then. On a first read, every row.
 */
const isFresh = (xmin: string) => `(age(${xmin}) <= (SELECT d FROM horizon) OR ${xmin} = ANY ((SELECT running FROM horizon)::xid[]))`;

/** Whether one row of a group is newer than the last read. */
const fresh = (xmin: string) => `coalesce(bool_or(${isFresh(xmin)}), false)`;

/**
 * Objects whose rows belong to a relation of `allrel`: (catalog, oid,
 * relation, xmin). Its row type and that type's array are the relation's
 * own: a column of either type is written with the relation's name.
 */
const MEMBERS = `
  SELECT 'pg_class'::regclass::oid AS classid, r.oid AS objid, r.oid AS relid, r.xmin AS x FROM allrel r
  UNION ALL SELECT 'pg_class'::regclass, c.oid, i.indrelid, c.xmin FROM pg_index i JOIN allrel r ON r.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid
  UNION ALL SELECT 'pg_type'::regclass, t.oid, r.oid, t.xmin FROM allrel r JOIN pg_type t ON t.oid = r.reltype
  UNION ALL SELECT 'pg_type'::regclass, a.oid, r.oid, a.xmin FROM allrel r JOIN pg_type t ON t.oid = r.reltype JOIN pg_type a ON a.oid = t.typarray
  UNION ALL SELECT 'pg_constraint'::regclass, k.oid, k.conrelid, k.xmin FROM pg_constraint k JOIN allrel r ON r.oid = k.conrelid
  UNION ALL SELECT 'pg_attrdef'::regclass, d.oid, d.adrelid, d.xmin FROM pg_attrdef d JOIN allrel r ON r.oid = d.adrelid
  UNION ALL SELECT 'pg_trigger'::regclass, t.oid, t.tgrelid, t.xmin FROM pg_trigger t JOIN allrel r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL SELECT 'pg_policy'::regclass, p.oid, p.polrelid, p.xmin FROM pg_policy p JOIN allrel r ON r.oid = p.polrelid
  UNION ALL SELECT 'pg_rewrite'::regclass, w.oid, w.ev_class, w.xmin FROM pg_rewrite w JOIN allrel r ON r.oid = w.ev_class`;

/**
 * Every other catalog row a relation's rows are read from: (relation,
 * xmin). Left out, as no DDL changes them or the snapshot reads nothing of
 * them: system columns (attnum below 1) and internal triggers (a foreign
 * key's, which the constraint's own row stands for). Objects made after
 * initdb have OIDs from 16384 up (FirstNormalObjectId), the comments on
 * them too.
 */
const ITEMS = `
  SELECT relid, x FROM members
  UNION ALL SELECT i.indrelid, i.xmin FROM pg_index i JOIN allrel r ON r.oid = i.indrelid
  UNION ALL SELECT a.attrelid, a.xmin FROM pg_attribute a JOIN allrel r ON r.oid = a.attrelid WHERE a.attnum > 0
  UNION ALL SELECT m.relid, d.xmin FROM pg_description d JOIN members m ON m.classid = d.classoid AND m.objid = d.objoid
   WHERE d.objoid >= 16384
  UNION ALL SELECT r.oid, d.xmin FROM pg_depend d JOIN allrel r ON d.classid = 'pg_class'::regclass AND d.objid = r.oid
  UNION ALL SELECT m.relid, h.xmin FROM pg_inherits h JOIN members m ON m.classid = 'pg_class'::regclass AND m.objid = h.inhrelid
  UNION ALL SELECT s.seqrelid, s.xmin FROM pg_sequence s JOIN allrel r ON r.oid = s.seqrelid
  UNION ALL SELECT f.ftrelid, f.xmin FROM pg_foreign_table f JOIN allrel r ON r.oid = f.ftrelid`;

/**
 * Per relation: `n`, its items' count and the indexes not valid, ready and
 * live (flags some versions set in place); `fresh`, whether one is newer
 * than the last read.
 */
const INVENTORY = `
  SELECT s.relid, s.n::text || coalesce('/' || f.flags, '') AS n, s.fresh
    FROM (SELECT relid, count(*) AS n, ${fresh('x')} AS fresh FROM items GROUP BY relid) s
    LEFT JOIN (SELECT i.indrelid AS relid, string_agg(concat_ws(':', i.indexrelid, i.indisvalid, i.indisready, i.indislive), ',' ORDER BY i.indexrelid) AS flags
                 FROM pg_index i JOIN allrel r ON r.oid = i.indrelid
                WHERE NOT (i.indisvalid AND i.indisready AND i.indislive) GROUP BY i.indrelid) f ON f.relid = s.relid`;

/**
 * Catalogs whose objects a relation's rows name (a column's type or
 * collation, a default's function, an index's operator class, a foreign
 * table's server...), always with a pg_depend row from the relation's
 * object to theirs: a new or changed one reads again the relations that
 * depend on it. A new object changes no relation's text (with search_path
 * = pg_catalog every name outside pg_catalog is written qualified), a
 * dropped one took its dependents with it. An enum's labels are read
 * through its type: a label renamed changes a default or a CHECK that holds it.
 */
const NAMED = `
  SELECT 'pg_type'::regclass::oid AS classid, t.oid AS objid FROM pg_type t
   WHERE ${isFresh('t.xmin')} AND NOT EXISTS (SELECT 1 FROM members m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
  UNION ALL SELECT 'pg_type'::regclass, e.enumtypid FROM pg_enum e WHERE ${isFresh('e.xmin')}
  ${[
    'pg_proc',
    'pg_collation',
    'pg_operator',
    'pg_opclass',
    'pg_opfamily',
    'pg_ts_config',
    'pg_ts_dict',
    'pg_foreign_server',
    'pg_foreign_data_wrapper',
  ]
    .map((c) => `UNION ALL SELECT '${c}'::regclass, oid FROM ${c} WHERE ${isFresh('xmin')}`)
    .join('\n  ')}`;

/**
 * The catalogs whose change reads every relation: schemas (every name is
 * qualified with one, and no relation depends on it through pg_depend),
 * access methods, extensions and tablespaces (rare, and not all through
 * pg_depend): their row counts and whether a row is newer than the last
 * read. Roles are read by name: pg_authid is for superusers only, and a
 * role's name is what a relation's owner and grants are written with.
 */
const STAMP_CATALOGS = ['pg_namespace', 'pg_am', 'pg_extension', 'pg_tablespace'] as const;

const STAMP = `
  SELECT string_agg(k || ':' || n, ',' ORDER BY k) AS counts, bool_or(fresh) AS fresh FROM (
    ${STAMP_CATALOGS.map((c) => `SELECT '${c}' AS k, count(*)::text AS n, ${fresh('xmin')} AS fresh FROM ${c}`).join('\n    UNION ALL ')}
    UNION ALL SELECT 'pg_roles', md5(string_agg(oid::text || ' ' || rolname, ',' ORDER BY oid)), false FROM pg_roles
  ) s`;

/** The relations with an object that depends on a new or changed object of `NAMED`'s. */
const NAMING = `
  SELECT m.relid FROM named n
    CROSS JOIN LATERAL (SELECT d.classid, d.objid FROM pg_depend d WHERE d.refclassid = n.classid AND d.refobjid = n.objid) d
    JOIN members m ON m.classid = d.classid AND m.objid = d.objid`;

/** The relations with an object that depends on an object of a changed one: few, each found by index. */
const DEPENDENTS = `
  SELECT m1.relid
    FROM (SELECT m2.classid, m2.objid FROM changed c JOIN members m2 ON m2.relid = c.relid) t
    CROSS JOIN LATERAL (SELECT d.classid, d.objid FROM pg_depend d WHERE d.refclassid = t.classid AND d.refobjid = t.objid) d
    JOIN members m1 ON m1.classid = d.classid AND m1.objid = d.objid`;

/**
 * Parameters: `$1` the last read's snapshot xmax (NULL: read everything)
 * and `$5` the transactions it saw running, `$2` and `$3` the relations'
 * oids and their `n` then, `$4` the stamp then. Returns one row: this
 * read's `xmax` and `running`, `stamp`, `inventory` (`[oid, n]`),
 * `whole` (whether every relation is to be read), `scope` (the relations to
 * read: all of them when `whole`; else those whose items changed or are
 * new, those with an object depending on an object of one of those, and
 * those with an object depending on a new or changed one of `NAMED`'s)
 * and `objects` (the other classes, whole).
 */
export const INVENTORY_QUERY = `
WITH horizon AS (${HORIZON}),
nsp AS MATERIALIZED (${USER_SCHEMAS}),
allrel AS MATERIALIZED (${USER_RELATIONS}),
members AS MATERIALIZED (${MEMBERS}),
items AS (${ITEMS}),
inventory AS MATERIALIZED (${INVENTORY}),
stamp AS MATERIALIZED (${STAMP}),
named AS MATERIALIZED (${NAMED}),
previous AS (SELECT * FROM unnest($2::oid[], $3::text[]) AS p(relid, n)),
changed AS MATERIALIZED (
  SELECT i.relid FROM inventory i LEFT JOIN previous p ON p.relid = i.relid WHERE p.relid IS NULL OR p.n <> i.n OR i.fresh
),
everything AS MATERIALIZED (SELECT $1::text IS NULL OR (SELECT counts FROM stamp) IS DISTINCT FROM $4::text OR (SELECT fresh FROM stamp) AS whole)
SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
       ARRAY(SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) AS x) AS running,
       (SELECT counts FROM stamp) AS stamp,
       (SELECT whole FROM everything) AS whole,
       coalesce((SELECT json_agg(json_build_array(relid, n)) FROM inventory), '[]'::json) AS inventory,
       CASE WHEN (SELECT whole FROM everything) THEN ARRAY(SELECT oid FROM allrel)
            ELSE ARRAY(SELECT relid FROM changed UNION SELECT relid FROM (${DEPENDENTS}) x UNION SELECT relid FROM (${NAMING}) y) END AS scope,
       json_build_object(
${Object.entries(OBJECT_CLASSES)
  .map(([key, select]) => `  '${key}', ${array(select)}`)
  .join(',\n')}
       ) AS objects`;

/** One relation class's rows, as `[relid, row]` pairs. */
const pairs = (select: string) => `coalesce((SELECT json_agg(json_build_array(q.relid, q.row_json)) FROM (${select}) AS q), '[]'::json)`;

/** `$1`: the relations to read (`scope`). Returns `relations`: per relation class, `[relid, row]` pairs. */
export const RELATIONS_QUERY = `
WITH rel AS MATERIALIZED (SELECT c.oid, c.relkind FROM pg_class c WHERE c.oid = ANY ($1::oid[]))
SELECT json_build_object(
${Object.entries(RELATION_CLASSES)
  .map(([key, select]) => `  '${key}', ${pairs(select)}`)
  .join(',\n')}
) AS relations`;
