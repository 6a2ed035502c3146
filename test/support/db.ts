import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Table and column names of the public schema (and others) with their types: a cheap schema dump. */
  schema(): Promise<string>;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminUrl');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, empty database for one test, dropped by `drop()`. */
export async function createDatabase(): Promise<TestDatabase> {
  const name = `pgshift_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(adminUrl());
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const client = new pg.Client(url);
  client.on('error', () => {});
  await client.connect();
  return {
    url,
    name,
    async query(sql, values) {
      return (await client.query(sql, values)).rows;
    },
    async schema() {
      const { rows } = await client.query(`
        SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname || coalesce(' ' || string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum), '') AS line
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
         GROUP BY c.relkind, n.nspname, c.relname ORDER BY 1`);
      const { rows: data } = await client
        .query<{ n: string }>(`SELECT count(*)::text AS n FROM schema_migrations`)
        .catch(() => ({ rows: [{ n: 'none' }] }));
      return rows.map((r) => r.line).join('\n') + `\ntracking rows: ${data[0]?.n}`;
    },
    async drop() {
      await client.end().catch(() => {});
      const admin2 = new pg.Client(adminUrl());
      await admin2.connect();
      try {
        await admin2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin2.end();
      }
    },
  };
}
