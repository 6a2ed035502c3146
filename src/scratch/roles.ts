/**
 * Who runs what on a private scratch server. The base's migrations are
 * merged code: they run as `pgshift_base`, a superuser (extensions, event
 * triggers). The branch's migrations are a stranger's code on a pull
 * request: they run as `pgshift_owner`, which owns everything the base made
 * and the database, without superuser rights. So `COPY … TO/FROM PROGRAM`,
 * reading or writing the server's files, `ALTER SYSTEM`, untrusted
 * languages and C functions are refused to them, while trusted extensions
 * (pgcrypto, uuid-ossp, pg_trgm, hstore, citext…) still install, as a
 * database owner may from PostgreSQL 13 on.
 */
import { quoteIdent } from '../core/identifier.js';
import type { ScratchClient } from './types.js';

export const BASE_ROLE = 'pgshift_base';
export const OWNER_ROLE = 'pgshift_owner';

/** The roles pgshift makes on a private server, and the database owners' names. */
export interface ScratchRoles {
  /** Replays the base: a superuser. */
  readonly base: string;
  /** Runs the branch's migrations: no superuser rights. */
  readonly owner: string;
}

/**
 * Creates the two roles on a fresh private server. CREATEROLE only from 16
 * on: before, it let a role grant itself any non-superuser role, the server
 * file and program roles included.
 */
export async function createRoles(client: ScratchClient, major: number): Promise<ScratchRoles> {
  const createRole = major >= 16 ? ' CREATEROLE' : '';
  await client.query(
    `CREATE ROLE ${BASE_ROLE} SUPERUSER LOGIN; ` +
      `CREATE ROLE ${OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS${createRole}`,
  );
  return { base: BASE_ROLE, owner: OWNER_ROLE };
}

/**
 * The roles the owner is made a member of, so that it may alter what the
 * base gave to them (`ALTER TABLE … OWNER TO app`): the base's own roles,
 * save any that could reach the server's files or programs, or that bypass
 * the rules (superuser, replication, BYPASSRLS, CREATEROLE — which before 16
 * grants any role — and membership of the server file and program roles).
 */
const SAFE_ROLES = `
SELECT r.rolname FROM pg_catalog.pg_roles r
 WHERE NOT r.rolsuper AND NOT r.rolreplication AND NOT r.rolbypassrls AND NOT r.rolcreaterole
   AND r.rolname NOT LIKE 'pg\\_%' AND r.rolname <> $1 AND r.oid >= 16384
   AND NOT pg_catalog.pg_has_role(r.oid, 'pg_execute_server_program', 'MEMBER')
   AND NOT pg_catalog.pg_has_role(r.oid, 'pg_read_server_files', 'MEMBER')
   AND NOT pg_catalog.pg_has_role(r.oid, 'pg_write_server_files', 'MEMBER')`;

/** Event triggers and foreign-data wrappers: their owner must be a superuser. */
const SUPERUSER_OWNED = `
SELECT pg_catalog.format('ALTER EVENT TRIGGER %I OWNER TO CURRENT_USER', evtname) AS sql
  FROM pg_catalog.pg_event_trigger WHERE evtowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)
UNION ALL
SELECT pg_catalog.format('ALTER FOREIGN DATA WRAPPER %I OWNER TO CURRENT_USER', fdwname)
  FROM pg_catalog.pg_foreign_data_wrapper WHERE fdwowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)`;

/**
 * After the base has been replayed in `database` (run on a superuser's
 * session in that database): everything the base role made there goes to
 * the owner, with the database itself and, before 15, the public schema.
 */
export async function handOver(client: ScratchClient, database: string, roles: ScratchRoles, major: number): Promise<void> {
  const owner = quoteIdent(roles.owner);
  // What PostgreSQL lets only a superuser own stays a superuser's: the server's own, who runs this session.
  const { rows: superOnly } = await client.query<{ sql: string }>(SUPERUSER_OWNED, [roles.base]);
  for (const { sql } of superOnly) await client.query(sql);
  await client.query(
    `REASSIGN OWNED BY ${quoteIdent(roles.base)} TO ${owner}; ALTER DATABASE ${quoteIdent(database)} OWNER TO ${owner}` +
      (major < 15 ? `; ALTER SCHEMA public OWNER TO ${owner}` : ''),
  );
  // pg_execute_server_program and its siblings came with 11; before, only superusers had those powers.
  if (major < 11) return;
  const { rows } = await client.query<{ rolname: string }>(SAFE_ROLES, [roles.owner]);
  if (rows.length > 0) await client.query(`GRANT ${rows.map((r) => quoteIdent(r.rolname)).join(', ')} TO ${owner}`);
}
