// The PostgreSQL server the benchmark runs against, and its throwaway databases.
import pg from 'pg';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const PREFIX = 'pgshift_bench_';

/** The URL of `database` on the same server as `url`, same user and options. */
export function urlFor(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The same URL with one query parameter set (e.g. sslmode=disable for dbmate, whose driver requires SSL by default). */
export function withParam(url, key, value) {
  const u = new URL(url);
  if (!u.searchParams.has(key)) u.searchParams.set(key, value);
  return u.toString();
}

/** The same URL pointing at another host:port (the counting proxy). */
export function viaHostPort(url, host, port) {
  const u = new URL(url);
  u.hostname = host;
  u.port = String(port);
  return u.toString();
}

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Connects to the configured server; when none answers, starts the embedded
 * one from the test support (if the root's dev dependencies are installed).
 */
export async function openServer(url, repoRoot, { asyncCommit = false } = {}) {
  let stop = async () => {};
  let origin = 'configured';
  if (!(await reachable(url))) {
    const embedded = new URL('test/support/embedded.mjs', pathToFileURL(`${repoRoot}/`));
    if (!existsSync(embedded)) throw new Error(`no PostgreSQL server answers at ${redact(url)}, and there is no embedded one to start`);
    process.stderr.write(`no server at ${redact(url)}; starting the embedded PostgreSQL…\n`);
    const { startEmbedded } = await import(embedded.href);
    const started = await startEmbedded();
    url = started.url;
    stop = started.stop;
    origin = 'embedded';
  }
  const admin = new pg.Client({ connectionString: url, application_name: 'pgshift-bench' });
  admin.on('error', () => {});
  await admin.connect();
  let counter = 0;
  const created = new Set();

  const server = {
    url,
    origin,
    /** Creates an empty database (untimed) and returns its name and URL. */
    async create() {
      const name = `${PREFIX}${process.pid}_${++counter}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      created.add(name);
      if (asyncCommit) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
      return { name, url: urlFor(url, name) };
    },
    async drop(name) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      created.delete(name);
    },
    async query(database, sql, values) {
      const client = new pg.Client({ connectionString: urlFor(url, database), application_name: 'pgshift-bench' });
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(sql, values)).rows;
      } finally {
        await client.end().catch(() => {});
      }
    },
    /**
     * Flushes what earlier runs left dirty, so that no timed run pays for
     * another's writes (untimed; needs superuser or pg_checkpoint, else skipped).
     */
    async checkpoint() {
      if (server.checkpoints === false) return;
      try {
        await admin.query('CHECKPOINT');
        server.checkpoints = true;
      } catch {
        server.checkpoints = false;
      }
    },
    checkpoints: undefined,
    async setting(name) {
      return (await admin.query('SELECT current_setting($1) AS v', [name])).rows[0].v;
    },
    /** Databases left by earlier runs that died (their process is gone). */
    async dropStale() {
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`);
      for (const { datname } of rows) {
        const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
        if (pid === process.pid || alive(pid)) continue;
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
      }
    },
    async close() {
      for (const name of [...created]) await server.drop(name).catch(() => {});
      await admin.end().catch(() => {});
      await stop();
    },
  };
  return server;
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The URL without its password, for printing. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
