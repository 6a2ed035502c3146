/**
 * The whole snapshot as one statement returning one JSON document (a
 * `json_agg` per object class), sent in one message together with the
 * transaction control around it: one round trip.
 */
import * as objects from './queries-objects.js';
import * as relations from './queries-relations.js';
import { array, notExtensionMember } from './sql-parts.js';

/** The classes whose every row belongs to one relation of `rel` (its `relid`). */
export const RELATION_CLASSES = {
  relations: relations.RELATIONS,
  columns: relations.COLUMNS,
  constraints: relations.CONSTRAINTS,
  indexes: relations.INDEXES,
  sequences: relations.SEQUENCES,
  triggers: relations.TRIGGERS,
  policies: relations.POLICIES,
  rules: relations.RULES,
  relationNames: relations.RELATION_NAMES,
} as const;

/** The classes of everything else, read over `nsp`. */
export const OBJECT_CLASSES = {
  schemas: objects.SCHEMAS,
  extensions: objects.EXTENSIONS,
  types: objects.TYPES,
  routines: objects.ROUTINES,
  eventTriggers: objects.EVENT_TRIGGERS,
  statistics: objects.STATISTICS,
  defaultPrivileges: objects.DEFAULT_PRIVILEGES,
  others: objects.OTHERS,
} as const;

/** The keys of the document the query returns, each a JSON array of rows. */
const CLASSES = { ...OBJECT_CLASSES, ...RELATION_CLASSES } as const;

export type RawClass = keyof typeof CLASSES;
export type RelationClass = keyof typeof RELATION_CLASSES;
export type ObjectClass = keyof typeof OBJECT_CLASSES;

/** The schemas a snapshot reads: every one but the system's. */
export const USER_SCHEMAS = `SELECT oid, nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'`;

/** The relations a snapshot reads, in the schemas of `nsp`: extension members belong to the extension. */
export const USER_RELATIONS = `SELECT c.oid, c.relkind, c.reltype, c.xmin FROM pg_class c JOIN nsp ON nsp.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${notExtensionMember('pg_class', 'c.oid')}`;

/**
 * User schemas: the `pg_` prefix is reserved for system schemas (pg_catalog,
 * pg_toast*, pg_temp*), so one condition leaves them all out. Relations: one
 * list of OIDs every per-relation read joins to, so extension members are
 * filtered once.
 */
export const SNAPSHOT_QUERY = `
WITH nsp AS MATERIALIZED (${USER_SCHEMAS}), rel AS MATERIALIZED (${USER_RELATIONS})
SELECT json_build_object(
${Object.entries(CLASSES)
  .map(([key, select]) => `  '${key}', ${array(select)}`)
  .join(',\n')}
) AS snapshot`;

/**
 * The caller's schemas are read before search_path changes: an `exclude`
 * entry without a schema means the table PostgreSQL finds on the caller's
 * search_path. JIT is off for the query: its correlated subqueries make the
 * planner's cost estimate huge (millions), far above jit_above_cost, and
 * compiling it took ~4 s on PostgreSQL 15 (200 tables) for a query that
 * runs in ~40 ms.
 */
const read = (query: string) => `SELECT to_json(current_schemas(false)) AS caller_schemas;
SET LOCAL search_path = pg_catalog;
SET LOCAL jit = off;
${query}`;

/**
 * For a caller outside a transaction. SET LOCAL makes search_path
 * pg_catalog (and jit off) only until COMMIT, so format_type, regclass and
 * pg_get_*def qualify every name outside pg_catalog, as pg_dump does; READ
 * ONLY promises the caller nothing is written.
 */
export const IN_OWN_TRANSACTION = `BEGIN READ ONLY;\n${read(SNAPSHOT_QUERY)};\nCOMMIT`;

/**
 * For a caller inside a transaction: rolling back to a savepoint undoes a
 * SET LOCAL made after it, so the caller's transaction goes on with its own
 * search_path. SAVEPOINT outside a transaction block fails before anything
 * ran (SQLSTATE 25P01), which tells a client that cannot report its state.
 */
export const SAVEPOINT = 'pgshift_snapshot';
export const IN_SAVEPOINT = `SAVEPOINT ${SAVEPOINT};\n${read(SNAPSHOT_QUERY)};\nROLLBACK TO SAVEPOINT ${SAVEPOINT};\nRELEASE SAVEPOINT ${SAVEPOINT}`;

/** After a failure inside the message: the session is left in the state it was in before. */
export const UNDO_OWN_TRANSACTION = 'ROLLBACK';
export const UNDO_SAVEPOINT = `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`;
