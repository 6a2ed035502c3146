/**
 * What a migration may leave on a whole server, outside its database:
 * roles, settings (ALTER SYSTEM, ALTER ROLE/DATABASE … SET), tablespaces
 * and databases. On a given scratch server they stay after pgshift has
 * dropped its databases, so each new migration is checked for them.
 */
import { SCRATCH_PREFIX } from './databases.js';
import type { ScratchClient } from './types.js';

/** One line per thing, in words: `role evil (superuser)`, `setting log_statement = all (ALTER SYSTEM)`. */
export type ClusterState = ReadonlySet<string>;

const STATE = `
SELECT 'role ' || pg_catalog.quote_ident(rolname) ||
       CASE WHEN rolsuper THEN ' (superuser)' WHEN rolcreaterole THEN ' (CREATEROLE)' ELSE '' END AS item
  FROM pg_catalog.pg_roles WHERE rolname NOT LIKE 'pg\\_%'
UNION ALL
SELECT 'tablespace ' || pg_catalog.quote_ident(spcname) FROM pg_catalog.pg_tablespace
UNION ALL
SELECT 'database ' || pg_catalog.quote_ident(datname) FROM pg_catalog.pg_database WHERE datname NOT LIKE $1
UNION ALL
SELECT 'setting ' || pg_catalog.array_to_string(s.setconfig, ', ') || ' (ALTER ' ||
       CASE WHEN s.setrole = 0 THEN 'DATABASE' ELSE 'ROLE' END || ')'
  FROM pg_catalog.pg_db_role_setting s
 WHERE s.setdatabase = 0 OR s.setdatabase NOT IN (SELECT oid FROM pg_catalog.pg_database WHERE datname LIKE $1)`;

/** Settings written with ALTER SYSTEM: readable to superusers and pg_read_all_settings only. */
const AUTO_CONF = `
SELECT 'setting ' || name || ' = ' || setting || ' (ALTER SYSTEM)' AS item
  FROM pg_catalog.pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'`;

/** The server-wide state as one set; what cannot be read (ALTER SYSTEM without the right) is left out. */
export async function clusterState(client: ScratchClient): Promise<ClusterState> {
  const pattern = `${SCRATCH_PREFIX.replace(/_/g, '\\_')}%`;
  const { rows } = await client.query<{ item: string }>(STATE, [pattern]);
  const items = new Set(rows.map((r) => r.item));
  const auto = await client.query<{ item: string }>(AUTO_CONF).catch(() => ({ rows: [] as { item: string }[] }));
  for (const r of auto.rows) items.add(r.item);
  return items;
}

/** What `after` has that `before` had not, and what is gone. */
export function clusterChanges(before: ClusterState, after: ClusterState): { added: string[]; removed: string[] } {
  return { added: [...after].filter((i) => !before.has(i)), removed: [...before].filter((i) => !after.has(i)) };
}
