import type { ConnectionInput } from './postgres/connection-info.js';

/**
 * The connection a front end takes from the environment: DATABASE_URL, else
 * libpq's PG* variables when any is set (node-postgres reads them itself).
 * The library never calls this on its own; front ends pass what it returns.
 */
export function connectionFromEnv(env: Readonly<Record<string, string | undefined>>): ConnectionInput | undefined {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  const keys = ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE'];
  if (!keys.some((k) => env[k])) return undefined;
  return {
    ...(env.PGHOST && { host: env.PGHOST }),
    ...(env.PGPORT && { port: Number(env.PGPORT) }),
    ...(env.PGDATABASE && { database: env.PGDATABASE }),
    ...(env.PGUSER && { user: env.PGUSER }),
    ...(env.PGPASSWORD && { password: env.PGPASSWORD }),
  };
}
