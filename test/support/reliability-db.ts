/**
 * Databases for the reliability suite: fresh or copied from a seeded
 * template, a dump of schema and data to prove "nothing changed", the
 * sessions pgshift has open, and a login role whose password is the secret.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminUrl, urlFor } from './db.js';
import { SECRET, withCredentials } from './reliability.js';

export interface RelDatabase {
  readonly name: string;
  /** The admin user's URL of this database. */
  readonly url: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Schema, data (row counts and a hash of every table's rows), tracking rows, database settings and advisory locks held. */
  dump(): Promise<string>;
  /** Sessions of this database other than the test's own, with what they run and what they wait for. */
  sessions(applicationName?: string): Promise<Session[]>;
  /** Advisory locks granted in this database to sessions other than the test's own. */
  advisoryLocks(): Promise<number>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

export interface Session {
  readonly pid: number;
  readonly application_name: string;
  readonly state: string | null;
  readonly query: string;
  readonly wait_event_type: string | null;
  readonly wait_event: string | null;
  /** Holds a granted advisory lock: pgshift's lock session does, while its run goes on. */
  readonly holds_lock: boolean;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(adminUrl());
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A new database; a copy of `template` (a database nobody is connected to) when given. */
export async function newDatabase(options: { template?: string; prefix?: string } = {}): Promise<RelDatabase> {
  const name = `${options.prefix ?? 'pgshift_rel'}_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    // Copies from one template may collide with a connection just closing; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ''}`);
        return;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  return openDatabase(name);
}

export async function openDatabase(name: string): Promise<RelDatabase> {
  const url = urlFor(name);
  const client = new pg.Client({ connectionString: url, application_name: 'reliability-test' });
  client.on('error', () => {});
  await client.connect();
  const query = async <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => (await client.query<R>(sql, values)).rows;
  let closed = false;
  const close = async () => {
    if (!closed) await client.end().catch(() => {});
    closed = true;
  };
  return {
    name,
    url,
    query,
    dump: () => dumpWith(client),
    async sessions(applicationName) {
      return query<Session>(
        `SELECT pid, application_name, state, coalesce(query, '') AS query, wait_event_type, wait_event,
                EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted) AS holds_lock
           FROM pg_stat_activity a
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            AND ($1::text IS NULL OR application_name = $1)
          ORDER BY pid`,
        [applicationName ?? null],
      );
    },
    async advisoryLocks() {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return row?.n ?? 0;
    },
    close,
    async drop() {
      await close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * A dump of everything a migration could change, as text to compare:
 * schemas, relations and their columns, indexes (and whether valid),
 * constraints, routines, database-level settings, every table's row count
 * and a hash of its rows, the rows of every pgshift-shaped tracking table,
 * and how many advisory locks other sessions hold.
 */
async function dumpWith(client: pg.Client): Promise<string> {
  const lines: string[] = [];
  const q = async <R extends pg.QueryResultRow>(sql: string) => (await client.query<R>(sql)).rows;
  const user = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;
  for (const r of await q<{ s: string }>(`SELECT n.nspname AS s FROM pg_namespace n WHERE ${user} ORDER BY 1`)) lines.push(`schema ${r.s}`);
  for (const r of await q<{ line: string }>(`
    SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname || coalesce(' ' || string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN '!' ELSE '' END, ',' ORDER BY a.attnum), '') AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE ${user} GROUP BY c.relkind, n.nspname, c.relname ORDER BY 1`))
    lines.push(r.line);
  for (const r of await q<{ line: string }>(`
    SELECT 'index ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS line
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${user} ORDER BY 1`))
    lines.push(r.line);
  for (const r of await q<{ line: string }>(`
    SELECT 'constraint ' || co.conrelid::regclass::text || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid) AS line
      FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE ${user} ORDER BY 1`))
    lines.push(r.line);
  for (const r of await q<{ line: string }>(`
    SELECT 'routine ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, '')) AS line
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${user} ORDER BY 1`))
    lines.push(r.line);
  for (const r of await q<{ line: string }>(`
    SELECT 'setting ' || array_to_string(s.setconfig, ',') AS line FROM pg_db_role_setting s
     WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1`))
    lines.push(r.line);
  const tables = await q<{ t: string; tracking: boolean }>(`
    SELECT format('%I.%I', n.nspname, c.relname) AS t,
           (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('version', 'name', 'applied_at') AND NOT a.attisdropped) = 3 AS tracking
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND ${user} ORDER BY 1`);
  for (const { t, tracking } of tables) {
    const [row] = await q<{ n: string; h: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t} x`,
    );
    lines.push(`rows ${t} ${row?.n} ${row?.h ?? '-'}`);
    if (tracking) {
      const rows = await q<{ line: string }>(`SELECT x::text AS line FROM ${t} x ORDER BY 1`);
      for (const r of rows) lines.push(`  ${t} ${r.line}`);
    }
  }
  const [locks] = await q<{ n: number }>(`
    SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
  lines.push(`advisory locks held ${locks?.n}`);
  return lines.join('\n');
}

/** A login role (superuser, so it may do all a migration does) whose password is `password`. */
export async function createSecretRole(
  password = SECRET,
  serverUrl = adminUrl(),
): Promise<{ role: string; password: string; url: (database: string) => string; drop: () => Promise<void> }> {
  const role = `rel_secret_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(serverUrl);
  await client.connect();
  try {
    await client.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  return {
    role,
    password,
    url: (database) => {
      const u = new URL(serverUrl);
      u.pathname = `/${database}`;
      return withCredentials(u.toString(), role, password);
    },
    async drop() {
      const c = new pg.Client(serverUrl);
      await c.connect();
      try {
        await c.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      } finally {
        await c.end();
      }
    },
  };
}

/** Holds a session-level advisory lock on `key` from a session named `applicationName` until released. */
export async function holdAdvisoryLock(
  url: string,
  key: number | string,
  applicationName = 'reliability-gate',
): Promise<{ pid: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_advisory_lock($1::bigint)', [String(key)]);
  return {
    pid: rows[0]!.pid,
    async release() {
      await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

/** The pgshift version-column rows of a tracking table, in version order. */
export async function trackedVersions(db: RelDatabase, table = 'schema_migrations'): Promise<number[]> {
  const rows = await db.query<{ v: string }>(`SELECT version::text AS v FROM ${table} ORDER BY version`).catch(() => []);
  return rows.map((r) => Number(r.v));
}

export async function tableExists(db: RelDatabase, name: string): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [name]);
  return row?.found === true;
}
