/** Many test databases at once, for the fleet: made in parallel, dropped together. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminUrl, urlFor } from './db.js';

export interface DatabaseSet {
  /** The databases' names, in order. */
  readonly names: readonly string[];
  readonly urls: readonly string[];
  /** Runs `sql` on database `i`. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(i: number, sql: string): Promise<R[]>;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(adminUrl());
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `count` empty databases, made four at a time (each CREATE DATABASE copies template1). */
export async function createDatabases(count: number): Promise<DatabaseSet> {
  const prefix = `pgshift_fl_${randomBytes(4).toString('hex')}`;
  const names = Array.from({ length: count }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, () =>
      withAdmin(async (client) => {
        for (let i = next++; i < names.length; i = next++) await client.query(`CREATE DATABASE ${names[i]}`);
      }),
    ),
  );
  const urls = names.map(urlFor);
  return {
    names,
    urls,
    async query(i, sql) {
      const client = new pg.Client(urls[i]);
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      // Many at once: each DROP DATABASE waits for a checkpoint, and drops made together share one.
      let at = 0;
      await Promise.all(
        Array.from({ length: Math.min(25, names.length) }, () =>
          withAdmin(async (client) => {
            for (let i = at++; i < names.length; i = at++) await client.query(`DROP DATABASE IF EXISTS ${names[i]} WITH (FORCE)`);
          }),
        ),
      );
    },
  };
}
