/**
 * The catalog reads for everything that is not a table: schemas,
 * extensions, types, routines, event triggers, extended statistics,
 * default privileges, and a catch-all inventory. Same conventions as
 * queries-relations.ts: one `row_json` column, names rendered by the server.
 */
import { collation, comment, grants, notExtensionMember, notInternal, qualified, role } from './sql-parts.js';

export const SCHEMAS = `
  SELECT json_build_object(
    'name', quote_ident(n.nspname),
    'owner', ${role('n.nspowner')},
    'acl', ${grants('n.nspacl', "'n'", 'n.nspowner')},
    'comment', ${comment('n.oid', 'pg_namespace')}
  ) AS row_json
  FROM pg_namespace n JOIN nsp ON nsp.oid = n.oid
  WHERE ${notExtensionMember('pg_namespace', 'n.oid')}`;

export const EXTENSIONS = `
  SELECT json_build_object('name', quote_ident(x.extname), 'version', x.extversion, 'schema', quote_ident(n.nspname)) AS row_json
  FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace`;

const DOMAIN_CONSTRAINTS = `(SELECT json_agg(json_build_object(
    'name', quote_ident(k.conname), 'type', k.contype, 'definition', pg_get_constraintdef(k.oid),
    'validated', k.convalidated, 'comment', ${comment('k.oid', 'pg_constraint')}))
  FROM pg_constraint k WHERE k.contypid = t.oid)`;

/** A composite type's attributes in order (ALTER TYPE ... DROP ATTRIBUTE leaves attnum gaps too). */
const ATTRIBUTES = `(SELECT json_agg(json_build_object(
    'name', quote_ident(a.attname), 'type', format_type(a.atttypid, a.atttypmod),
    'collation', CASE WHEN a.attcollation <> at.typcollation THEN ${collation('a.attcollation')} END,
    'comment', ${comment('a.attrelid', 'pg_class', 'a.attnum')}) ORDER BY a.attnum)
  FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)`;

const RANGE = `(SELECT json_build_object(
    'subtype', format_type(r.rngsubtype, NULL),
    'collation', ${collation('r.rngcollation')},
    'opclass', (SELECT ${qualified('ocn.nspname', 'oc.opcname')} FROM pg_opclass oc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace WHERE oc.oid = r.rngsubopc),
    'canonical', nullif(r.rngcanonical::oid, 0)::regprocedure::text,
    'subtypeDiff', nullif(r.rngsubdiff::oid, 0)::regprocedure::text,
    'multirange', nullif(r.rngmultitypid, 0)::regtype::text)
  FROM pg_range r WHERE r.rngtypid = t.oid)`;

/** A base type (CREATE TYPE with I/O functions) in words: there is no pg_get_typedef. */
const BASE_TYPE = `concat_ws(', ',
    'INPUT = ' || t.typinput::oid::regprocedure::text, 'OUTPUT = ' || t.typoutput::oid::regprocedure::text,
    'RECEIVE = ' || nullif(t.typreceive::oid, 0)::regprocedure::text, 'SEND = ' || nullif(t.typsend::oid, 0)::regprocedure::text,
    'TYPMOD_IN = ' || nullif(t.typmodin::oid, 0)::regprocedure::text, 'TYPMOD_OUT = ' || nullif(t.typmodout::oid, 0)::regprocedure::text,
    'ANALYZE = ' || nullif(t.typanalyze::oid, 0)::regprocedure::text, 'INTERNALLENGTH = ' || t.typlen,
    CASE WHEN t.typbyval THEN 'PASSEDBYVALUE' END, 'ALIGNMENT = ' || t.typalign::text, 'STORAGE = ' || t.typstorage::text,
    'CATEGORY = ' || t.typcategory::text, CASE WHEN t.typispreferred THEN 'PREFERRED' END,
    'DEFAULT = ' || t.typdefault, 'ELEMENT = ' || nullif(t.typelem, 0)::regtype::text,
    'DELIMITER = ' || t.typdelim::text, CASE WHEN t.typcollation <> 0 THEN 'COLLATABLE' END)`;

/**
 * Enums, domains, standalone composites, ranges, base and shell types.
 * Left out: what is internally part of another object (pg_depend deptype
 * 'i'): array types and multiranges, made along with their type, and
 * tables' row types (the table is the object).
 */
export const TYPES = `
  SELECT json_build_object(
    'name', format_type(t.oid, NULL),
    'kind', t.typtype,
    'owner', ${role('t.typowner')},
    'acl', ${grants('t.typacl', "'T'", 't.typowner')},
    'comment', ${comment('t.oid', 'pg_type')},
    'labels', CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END,
    'baseType', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
    'notNull', t.typnotnull,
    'default', CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END,
    'collation', CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                      THEN ${collation('t.typcollation')} END,
    'constraints', CASE WHEN t.typtype = 'd' THEN ${DOMAIN_CONSTRAINTS} END,
    'attributes', CASE WHEN t.typtype = 'c' THEN ${ATTRIBUTES} END,
    'range', CASE WHEN t.typtype = 'r' THEN ${RANGE} END,
    'definition', CASE WHEN t.typtype = 'b' THEN ${BASE_TYPE} END
  ) AS row_json
  FROM pg_type t JOIN nsp ON nsp.oid = t.typnamespace
  WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r', 'p')
    AND ${notInternal('pg_type', 't.oid')} AND ${notExtensionMember('pg_type', 't.oid')}`;

/**
 * There is no pg_get_aggregatedef (pg_get_functiondef refuses aggregates):
 * the CREATE AGGREGATE options that differ from the defaults, in words.
 */
const AGGREGATE = `(SELECT 'AGGREGATE ' || p.oid::regprocedure::text || ' (' || concat_ws(', ',
    'SFUNC = ' || a.aggtransfn::oid::regprocedure::text, 'STYPE = ' || format_type(a.aggtranstype, NULL),
    'SSPACE = ' || nullif(a.aggtransspace, 0), 'FINALFUNC = ' || nullif(a.aggfinalfn::oid, 0)::regprocedure::text,
    CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
    CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = ' || a.aggfinalmodify::text END,
    'COMBINEFUNC = ' || nullif(a.aggcombinefn::oid, 0)::regprocedure::text,
    'SERIALFUNC = ' || nullif(a.aggserialfn::oid, 0)::regprocedure::text,
    'DESERIALFUNC = ' || nullif(a.aggdeserialfn::oid, 0)::regprocedure::text,
    'INITCOND = ' || quote_literal(a.agginitval),
    'MSFUNC = ' || nullif(a.aggmtransfn::oid, 0)::regprocedure::text,
    'MINVFUNC = ' || nullif(a.aggminvtransfn::oid, 0)::regprocedure::text,
    'MSTYPE = ' || nullif(a.aggmtranstype, 0)::regtype::text, 'MSSPACE = ' || nullif(a.aggmtransspace, 0),
    'MFINALFUNC = ' || nullif(a.aggmfinalfn::oid, 0)::regprocedure::text,
    CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
    CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = ' || a.aggmfinalmodify::text END,
    'MINITCOND = ' || quote_literal(a.aggminitval), 'SORTOP = ' || nullif(a.aggsortop, 0)::regoperator::text,
    CASE a.aggkind WHEN 'o' THEN 'ORDERED SET' WHEN 'h' THEN 'HYPOTHETICAL' END, 'DIRECTARGS = ' || nullif(a.aggnumdirectargs, 0),
    CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END) || ')'
  FROM pg_aggregate a WHERE a.aggfnoid = p.oid)`;

/** Functions, procedures, aggregates, window functions. */
export const ROUTINES = `
  SELECT json_build_object(
    'signature', p.oid::regprocedure::text,
    'kind', p.prokind,
    'definition', CASE WHEN p.prokind = 'a' THEN ${AGGREGATE} ELSE pg_get_functiondef(p.oid) END,
    'owner', ${role('p.proowner')},
    'acl', ${grants('p.proacl', "'f'", 'p.proowner')},
    'comment', ${comment('p.oid', 'pg_proc')}
  ) AS row_json
  FROM pg_proc p JOIN nsp ON nsp.oid = p.pronamespace
  WHERE ${notExtensionMember('pg_proc', 'p.oid')} AND ${notInternal('pg_proc', 'p.oid')}`;

export const EVENT_TRIGGERS = `
  SELECT json_build_object(
    'name', quote_ident(et.evtname),
    'event', et.evtevent,
    'function', et.evtfoid::regprocedure::text,
    'enabled', et.evtenabled,
    'tags', et.evttags,
    'owner', ${role('et.evtowner')},
    'comment', ${comment('et.oid', 'pg_event_trigger')}
  ) AS row_json
  FROM pg_event_trigger et
  WHERE ${notExtensionMember('pg_event_trigger', 'et.oid')}`;

export const STATISTICS = `
  SELECT json_build_object(
    'name', ${qualified('n.nspname', 's.stxname')},
    'table', s.stxrelid::regclass::text,
    'definition', pg_get_statisticsobjdef(s.oid),
    'target', nullif(s.stxstattarget, -1),
    'owner', ${role('s.stxowner')},
    'comment', ${comment('s.oid', 'pg_statistic_ext')}
  ) AS row_json
  FROM pg_statistic_ext s JOIN nsp n ON n.oid = s.stxnamespace
  WHERE ${notExtensionMember('pg_statistic_ext', 's.oid')}`;

/**
 * ALTER DEFAULT PRIVILEGES. An entry for all schemas replaces the built-in
 * default, so it is read relative to it (REVOKE EXECUTE ON FUNCTIONS FROM
 * PUBLIC is one revoke, not the owner's privileges listed); an entry for
 * one schema adds to it, and is read as it is.
 */
export const DEFAULT_PRIVILEGES = `
  SELECT json_build_object(
    'role', ${role('d.defaclrole')},
    'schema', (SELECT quote_ident(n.nspname) FROM pg_namespace n WHERE n.oid = d.defaclnamespace),
    'objects', d.defaclobjtype,
    'acl', CASE WHEN d.defaclnamespace = 0
                THEN ${grants('d.defaclacl', "CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END", 'd.defaclrole')}
                ELSE ${grants('d.defaclacl', null, '0')} END
  ) AS row_json
  FROM pg_default_acl d`;

/**
 * The catch-all: every object that lives in a user schema (pg_depend deptype
 * 'n' on the schema), minus the classes read above, plus user-made objects
 * of the database-wide classes (casts, languages, foreign data wrappers and
 * servers, access methods, transforms, publications, subscriptions), minus
 * what belongs to an extension or is part of another object (deptype 'i',
 * as a range type's cast). Only their identity and comment: collations,
 * operators, text search configurations and the like cannot slip in or out
 * unseen, but a change inside one is not detected. 16384 is
 * FirstNormalObjectId: objects below it came with initdb.
 */
export const OTHERS = `
  SELECT json_build_object(
    'type', o.type,
    'identity', o.identity,
    'comment', (SELECT d.description FROM pg_description d WHERE d.objoid = x.objid AND d.classoid = x.classid AND d.objsubid = x.objsubid)
  ) AS row_json
  FROM (
    SELECT DISTINCT d.classid, d.objid, d.objsubid
      FROM pg_depend d JOIN nsp ON nsp.oid = d.refobjid
     WHERE d.refclassid = 'pg_namespace'::regclass AND d.deptype = 'n'
       AND d.classid NOT IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass,
                             'pg_statistic_ext'::regclass, 'pg_extension'::regclass)
    UNION ALL SELECT 'pg_cast'::regclass, oid, 0 FROM pg_cast WHERE oid >= 16384
    UNION ALL SELECT 'pg_language'::regclass, oid, 0 FROM pg_language WHERE oid >= 16384
    UNION ALL SELECT 'pg_foreign_data_wrapper'::regclass, oid, 0 FROM pg_foreign_data_wrapper WHERE oid >= 16384
    UNION ALL SELECT 'pg_foreign_server'::regclass, oid, 0 FROM pg_foreign_server WHERE oid >= 16384
    UNION ALL SELECT 'pg_am'::regclass, oid, 0 FROM pg_am WHERE oid >= 16384
    UNION ALL SELECT 'pg_transform'::regclass, oid, 0 FROM pg_transform WHERE oid >= 16384
    UNION ALL SELECT 'pg_publication'::regclass, oid, 0 FROM pg_publication WHERE oid >= 16384
    UNION ALL SELECT 'pg_publication_rel'::regclass, oid, 0 FROM pg_publication_rel WHERE oid >= 16384
    UNION ALL SELECT 'pg_subscription'::regclass, oid, 0 FROM pg_subscription
               WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  ) x
  CROSS JOIN LATERAL pg_identify_object(x.classid, x.objid, x.objsubid) o
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = x.classid AND e.objid = x.objid AND e.deptype IN ('e', 'i'))`;
