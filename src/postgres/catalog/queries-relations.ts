/**
 * The catalog reads for tables and what hangs off them: columns,
 * constraints, indexes, sequences, triggers, policies, rules. Each is a
 * SELECT of a `row_json` column, with the `relid` of the relation the row
 * belongs to, over the CTE `rel` (see queries.ts);
 * names come out of regclass, format_type and the pg_get_*def functions,
 * schema-qualified because the query runs with search_path = pg_catalog.
 */
import { collation, comment, grants, role } from './sql-parts.js';

/** Tables, partitioned tables, views, materialized views, foreign tables (sequences: below). */
export const RELATIONS = `
  SELECT json_build_object(
    'name', c.oid::regclass::text,
    'kind', c.relkind,
    'persistence', c.relpersistence,
    'owner', ${role('c.relowner')},
    'acl', ${grants('c.relacl', "'r'", 'c.relowner')},
    'comment', ${comment('c.oid', 'pg_class')},
    'rowSecurity', c.relrowsecurity,
    'forceRowSecurity', c.relforcerowsecurity,
    'options', c.reloptions,
    'replicaIdentity', c.relreplident,
    'accessMethod', (SELECT am.amname FROM pg_am am WHERE am.oid = c.relam),
    'tablespace', (SELECT ts.spcname FROM pg_tablespace ts WHERE ts.oid = c.reltablespace),
    'definition', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
    'partitionKey', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
    'partitionBound', CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
    'parents', (SELECT json_agg(i.inhparent::regclass::text ORDER BY i.inhseqno) FROM pg_inherits i WHERE i.inhrelid = c.oid),
    'server', (SELECT quote_ident(s.srvname) FROM pg_foreign_table f JOIN pg_foreign_server s ON s.oid = f.ftserver WHERE f.ftrelid = c.oid),
    'serverOptions', (SELECT f.ftoptions FROM pg_foreign_table f WHERE f.ftrelid = c.oid)
  ) AS row_json, c.oid AS relid
  FROM rel JOIN pg_class c ON c.oid = rel.oid
  WHERE c.relkind <> 'S'`;

/**
 * Live columns. `position` is the rank among live columns, never attnum:
 * ADD COLUMN then DROP COLUMN leaves a dropped ghost and a gap in attnum
 * that no DDL can see or undo. attnum is read too, apart: RENAME COLUMN
 * keeps it, so it tells a renamed column from one dropped and one added.
 * Attribute options named pg_* are not settings anyone made: no PostgreSQL
 * option has that prefix, and the server these tests run on stamps every
 * column with a `pg_attver=<number>` that differs from one database to the
 * next (SET (pg_attver = 1) is accepted and ignored).
 */
export const COLUMNS = `
  SELECT json_build_object(
    'rel', a.attrelid::regclass::text,
    'name', quote_ident(a.attname),
    'position', a.position,
    'attnum', a.attnum,
    'type', format_type(a.atttypid, a.atttypmod),
    'notNull', a.attnotnull,
    'default', pg_get_expr(ad.adbin, ad.adrelid),
    'identity', a.attidentity,
    'generated', a.attgenerated,
    'collation', CASE WHEN a.attcollation <> t.typcollation THEN ${collation('a.attcollation')} END,
    'storage', CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END,
    'compression', a.attcompression,
    'statisticsTarget', nullif(a.attstattarget, -1),
    'options', (SELECT json_agg(o) FROM unnest(a.attoptions) o WHERE left(o, 3) <> 'pg_'),
    'fdwOptions', a.attfdwoptions,
    'acl', ${grants('a.attacl', null, '0')},
    'comment', ${comment('a.attrelid', 'pg_class', 'a.attnum')}
  ) AS row_json, a.attrelid AS relid
  FROM (
    SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
           a.attcollation, a.attstorage, a.attcompression, a.attstattarget, a.attoptions, a.attfdwoptions, a.attacl,
           row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position
      FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid AND rel.relkind <> 'S'
     WHERE a.attnum > 0 AND NOT a.attisdropped
  ) a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum`;

/** Table constraints; constraint triggers ('t') are read as triggers. */
export const CONSTRAINTS = `
  SELECT json_build_object(
    'rel', k.conrelid::regclass::text,
    'name', quote_ident(k.conname),
    'type', k.contype,
    'definition', pg_get_constraintdef(k.oid),
    'validated', k.convalidated,
    'deferrable', k.condeferrable,
    'deferred', k.condeferred,
    'comment', ${comment('k.oid', 'pg_constraint')}
  ) AS row_json, k.conrelid AS relid
  FROM pg_constraint k JOIN rel ON rel.oid = k.conrelid
  WHERE k.contype <> 't'`;

/** Indexes, with the constraint (primary key, unique, exclusion) each one backs. */
export const INDEXES = `
  SELECT json_build_object(
    'rel', i.indrelid::regclass::text,
    'name', i.indexrelid::regclass::text,
    'definition', pg_get_indexdef(i.indexrelid),
    'valid', i.indisvalid,
    'clustered', i.indisclustered,
    'replicaIdentity', i.indisreplident,
    'constraint', (SELECT quote_ident(k.conname) FROM pg_constraint k
                    WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')),
    'partitionOf', (SELECT h.inhparent::regclass::text FROM pg_inherits h WHERE h.inhrelid = i.indexrelid),
    'comment', ${comment('i.indexrelid', 'pg_class')}
  ) AS row_json, i.indrelid AS relid
  FROM pg_index i JOIN rel ON rel.oid = i.indrelid`;

/**
 * Sequences: their definition and owning column, never last_value (data).
 * Bounds are int8: as text, so JSON keeps all their digits.
 */
export const SEQUENCES = `
  SELECT json_build_object(
    'name', c.oid::regclass::text,
    'type', format_type(s.seqtypid, NULL),
    'start', s.seqstart::text,
    'increment', s.seqincrement::text,
    'min', s.seqmin::text,
    'max', s.seqmax::text,
    'cache', s.seqcache::text,
    'cycle', s.seqcycle,
    'ownedBy', (SELECT json_build_object('table', d.refobjid::regclass::text, 'column', quote_ident(a.attname), 'identity', d.deptype = 'i')
                  FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                   AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')),
    'persistence', c.relpersistence,
    'owner', ${role('c.relowner')},
    'acl', ${grants('c.relacl', "'s'", 'c.relowner')},
    'comment', ${comment('c.oid', 'pg_class')}
  ) AS row_json, c.oid AS relid
  FROM rel JOIN pg_class c ON c.oid = rel.oid JOIN pg_sequence s ON s.seqrelid = c.oid`;

/** User triggers; FOREIGN KEY checks are internal triggers and left out (the constraint says it). */
export const TRIGGERS = `
  SELECT json_build_object(
    'rel', t.tgrelid::regclass::text,
    'name', quote_ident(t.tgname),
    'definition', pg_get_triggerdef(t.oid),
    'enabled', t.tgenabled,
    'comment', ${comment('t.oid', 'pg_trigger')}
  ) AS row_json, t.tgrelid AS relid
  FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid
  WHERE NOT t.tgisinternal`;

export const POLICIES = `
  SELECT json_build_object(
    'rel', p.polrelid::regclass::text,
    'name', quote_ident(p.polname),
    'command', p.polcmd,
    'permissive', p.polpermissive,
    'roles', (SELECT json_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE ${role('r')} END) FROM unnest(p.polroles) r),
    'using', pg_get_expr(p.polqual, p.polrelid),
    'withCheck', pg_get_expr(p.polwithcheck, p.polrelid),
    'comment', ${comment('p.oid', 'pg_policy')}
  ) AS row_json, p.polrelid AS relid
  FROM pg_policy p JOIN rel ON rel.oid = p.polrelid`;

/** Rules; a view's own `_RETURN` rule is its definition, read as such. */
export const RULES = `
  SELECT json_build_object(
    'rel', w.ev_class::regclass::text,
    'name', quote_ident(w.rulename),
    'definition', pg_get_ruledef(w.oid),
    'enabled', w.ev_enabled,
    'comment', ${comment('w.oid', 'pg_rewrite')}
  ) AS row_json, w.ev_class AS relid
  FROM pg_rewrite w JOIN rel ON rel.oid = w.ev_class
  WHERE w.rulename <> '_RETURN'`;

/** Raw names of every relation, for matching `exclude` entries; not part of the model. */
export const RELATION_NAMES = `
  SELECT json_build_array(c.oid::regclass::text, n.nspname, c.relname) AS row_json, c.oid AS relid
  FROM rel JOIN pg_class c ON c.oid = rel.oid JOIN pg_namespace n ON n.oid = c.relnamespace`;
