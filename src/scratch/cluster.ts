import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fail } from '../core/problem.js';
import { track } from './cleanup.js';
import { prepareDirectory, serverEnv, type ClusterPaths } from './cluster-dir.js';
import { reachableBinaries } from './relocate.js';
import { createDatabase, dropDatabase, newDatabaseName, templateName, withSession } from './databases.js';
import { createRoles, type ScratchRoles } from './roles.js';
import { lastLines, reasonOf, run } from './exec.js';
import { findPostgres, type FindPostgresOptions } from './find-binaries.js';
import { freePort } from './free-port.js';
import { MARK, newMark } from './kill.js';
import { launchPosix, type ServerProcess } from './launch-posix.js';
import { launchWindows } from './launch-windows.js';
import { indent, waitReady } from './ready.js';
import { unprivilegedUser, type RunAs } from './run-as.js';
import type { CreateDatabaseOptions, Env, PostgresBinaries, ScratchCluster, ScratchConnect, Platform } from './types.js';
import { urlForDatabase } from './url.js';

export interface StartScratchClusterOptions extends FindPostgresOptions {
  /** Opens connections (readiness, CREATE DATABASE): `openSession` of postgres/, or any `ScratchConnect`. */
  readonly connect: ScratchConnect;
  /** Binaries already found by {@link findPostgres}; the search options are then unused. */
  readonly binaries?: PostgresBinaries;
  /**
   * Where the temporary directory goes; default `os.tmpdir()`. On GitHub
   * runners pass RUNNER_TEMP. Under root, a place the server's user cannot
   * enter is given up for `os.tmpdir()`.
   */
  readonly tempRoot?: string;
  /** How long the server may take to accept connections; default 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** How many connections the server takes; default 20, enough for one check. */
  readonly maxConnections?: number;
  /** `max_prepared_transactions`, for two-phase commit (`fleet migrate --atomic`); default 0, PostgreSQL's: none. */
  readonly maxPreparedTransactions?: number;
}

/** Tries before giving up when other processes keep taking the free port found. */
const PORT_TRIES = 5;

/**
 * Starts the server on `firstPort`, and on another free port each time a
 * process took the port first (up to PORT_TRIES); the server and its port.
 */
async function listen(
  firstPort: number,
  steps: {
    readonly launch: (port: number) => Promise<ServerProcess>;
    readonly ready: (server: ServerProcess, port: number) => Promise<Awaited<ReturnType<typeof waitReady>>>;
    readonly what: string;
  },
): Promise<{ port: number; server: ServerProcess }> {
  for (let attempt = 1, next = firstPort; ; attempt++, next = await freePort()) {
    const server = await steps.launch(next);
    if ((await steps.ready(server, next)) === 'ready') return { port: next, server };
    await server.stop();
    if (attempt === PORT_TRIES) {
      throw fail('SCRATCH_FAILED', `${steps.what} could not listen on any of ${PORT_TRIES} free ports: other processes took each first`, {
        hint: 'try again; if it keeps happening, something on this machine is taking every new port',
      });
    }
  }
}

/**
 * Starts a private, throwaway PostgreSQL: initdb into a fresh temporary
 * directory, then postgres on a free port of 127.0.0.1, tuned for speed
 * over durability (fsync off: a crash loses nothing anyone keeps). Trust
 * authentication; the superuser is `postgres`.
 *
 * The server is stopped and its directory removed by `stop()`, on a failed
 * start, on this process's exit or SIGINT/SIGTERM/SIGHUP (cleanup.ts), and
 * by a watcher when this process is killed outright (launch-posix.ts).
 *
 * @example
 * const server = await startScratchCluster({ env: process.env, platform: process.platform, connect });
 * try { await migrate(await server.createDatabase()); } finally { await server.stop(); }
 * @throws PgshiftError SCRATCH_UNAVAILABLE (no usable binaries, root without a usable user) or SCRATCH_FAILED
 */
export async function startScratchCluster(options: StartScratchClusterOptions): Promise<ScratchCluster> {
  const found = options.binaries ?? (await findPostgres(options));
  // initdb and postgres refuse to run as root; Windows has no such uid (and pg_ctl drops admin rights there).
  const user = options.platform !== 'win32' && process.getuid?.() === 0 ? await unprivilegedUser() : undefined;
  const binaries = user ? await reachableBinaries(found, user) : found;
  const paths = await prepareDirectory({
    platform: options.platform,
    ...(options.tempRoot !== undefined && { tempRoot: options.tempRoot }),
    ...(user && { user }),
  });
  const mark = newMark();
  const env = { ...serverEnv(options.env, paths.dir, options.platform), [MARK]: mark };

  let server: ServerProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await server?.stop();
      await rm(paths.dir, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) => {
        throw fail('SCRATCH_FAILED', `could not remove the scratch server's directory ${paths.dir}: ${reasonOf(error)}`, {
          hint: 'remove it by hand; the server itself has stopped',
        });
      });
      untrack();
    })());
  // Registered before anything runs, so that a signal during the start leaves nothing behind.
  const untrack = track({
    stop,
    stopSync() {
      server?.stopSync();
      rmSync(paths.dir, { recursive: true, force: true, maxRetries: 3 });
    },
  });

  let started: { readonly port: number; readonly server: ServerProcess };
  try {
    const [, firstPort] = await Promise.all([initdb(binaries, paths, { env, ...(user && { user }) }), freePort()]);
    const launchOptions = {
      env,
      mark,
      maxConnections: options.maxConnections ?? 20,
      maxPreparedTransactions: options.maxPreparedTransactions ?? 0,
      ...(user && { user }),
    };
    const what = `the PostgreSQL ${binaries.version} server in ${binaries.bin}`;
    started = await listen(firstPort, {
      launch: async (next) => (server = await launch(binaries, paths, next, launchOptions, options.platform)),
      ready: (running, next) =>
        waitReady({
          connect: options.connect,
          url: `postgres://postgres@127.0.0.1:${next}/postgres`,
          dataDir: paths.dataDir,
          server: running,
          logFile: paths.logFile,
          timeoutMs: options.startTimeoutMs ?? 30_000,
          what,
        }),
      what,
    });
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  const { port, server: running } = started;
  running.idle();

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let roles: ScratchRoles;
  try {
    roles = await withSession(options.connect, url, 'SCRATCH_FAILED', (client) => createRoles(client, binaries.major));
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return {
    kind: 'private',
    url,
    major: binaries.major,
    version: binaries.version,
    bin: binaries.bin,
    dir: paths.dir,
    port,
    roles,
    ...(user && { osUser: user.name }),
    interrupt: async () => running.kill(),
    gone: () => running.status(),
    async createDatabase(create: CreateDatabaseOptions = {}) {
      if (stopping) throw fail('SCRATCH_FAILED', 'the scratch server has been stopped', { hint: 'create databases before stopping it' });
      const name = newDatabaseName();
      await createDatabase({ connect: options.connect, adminUrl: url, name, ...create });
      return urlForDatabase(url, name);
    },
    dropDatabase: (database: string) =>
      withSession(options.connect, url, 'SCRATCH_FAILED', (client) => dropDatabase(client, templateName(database), binaries.major)),
    stop,
  };
}

interface ProcessOptions {
  readonly env: Env;
  readonly user?: RunAs;
  readonly mark?: string;
  readonly maxConnections?: number;
  readonly maxPreparedTransactions?: number;
}

/** `initdb -N`: no fsync, for a cluster nobody keeps (some 0.6 s instead of seconds). */
async function initdb(binaries: PostgresBinaries, paths: ClusterPaths, options: ProcessOptions): Promise<void> {
  const args = ['-D', paths.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N'];
  // --no-instructions came with 14; before, the instructions are just more output.
  if (binaries.major >= 14) args.push('--no-instructions');
  const where = `initdb of PostgreSQL ${binaries.version} in ${binaries.bin}`;
  let result;
  try {
    result = await run(binaries.initdb, args, { ...options, cwd: paths.dir, timeoutMs: 120_000 });
  } catch (error) {
    throw fail('SCRATCH_UNAVAILABLE', `could not run ${binaries.initdb}: ${reasonOf(error)}`, {
      hint: 'check the PostgreSQL installation, set the PostgreSQL bin directory to a working one, or give the scratch server URL of a server you provide',
      settings: ['scratchUrl', 'postgresBin'],
    });
  }
  if (result.code === 0) return;
  const how = result.timedOut ? 'did not finish within 120 s' : `failed (exit code ${result.code})`;
  throw fail('SCRATCH_FAILED', `${where} ${how}; its output ends:\n${indent(lastLines(result.output))}`, {
    hint: 'its output says why; check the PostgreSQL installation and the temporary directory, or give the scratch server URL of a server you provide',
    settings: ['scratchUrl'],
  });
}

/**
 * The server's settings: only 127.0.0.1, its socket in its own directory
 * (never /var/run/postgresql, where a system server's may be), and
 * durability off, which a throwaway cluster does not need.
 */
function launch(binaries: PostgresBinaries, paths: ClusterPaths, port: number, options: ProcessOptions, platform: Platform) {
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${paths.socketDir ?? ''}`];
  settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off', `max_connections=${options.maxConnections ?? 20}`);
  settings.push(`max_prepared_transactions=${options.maxPreparedTransactions ?? 0}`);
  // Windows: no Unix socket setting (its default is none); pg_ctl passes the arguments through a command line.
  const used = platform === 'win32' ? settings.slice(0, 1).concat(settings.slice(2)) : settings;
  const args = ['-p', String(port), ...used.flatMap((setting) => ['-c', setting])];
  const launchOptions = {
    postgres: binaries.postgres,
    ...(binaries.pgCtl !== undefined && { pgCtl: binaries.pgCtl }),
    dataDir: paths.dataDir,
    args,
    logFile: paths.logFile,
    env: options.env,
    cwd: paths.dir,
    dir: paths.dir,
    mark: options.mark ?? '',
    ...(options.user && { user: options.user }),
  };
  return platform === 'win32' ? launchWindows(launchOptions) : launchPosix(launchOptions);
}
