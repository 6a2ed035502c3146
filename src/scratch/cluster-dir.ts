import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail } from '../core/problem.js';
import { reasonOf } from './exec.js';
import { blockedDirectory, type RunAs } from './run-as.js';
import type { Env, Platform } from './types.js';

/** The layout of a private server's temporary directory. */
export interface ClusterPaths {
  /** The temporary directory: everything below is removed with it. */
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** Where the Unix socket goes; undefined when the path would be too long for one (or on Windows). */
  readonly socketDir?: string;
}

export interface PrepareOptions {
  readonly tempRoot?: string;
  /** The user the server runs as, when this process is root. */
  readonly user?: RunAs;
  readonly platform: Platform;
}

/** sun_path holds 104 bytes on macOS, 108 on Linux; PostgreSQL refuses longer socket paths. */
const SOCKET_PATH_MAX = 100;

/**
 * Creates the temporary directory, owned by the server's user (mode 0700,
 * as PostgreSQL wants its data directory's owner to be the only one in).
 * Under root, the server's user must be able to enter every directory on
 * the way: a temporary root it cannot (a checkout under a mode-700 /root)
 * is given up for the system's temporary directory, which is open to all.
 */
export async function prepareDirectory(options: PrepareOptions): Promise<ClusterPaths> {
  const base = await usableBase(options.tempRoot ?? tmpdir(), options.user);
  let dir: string;
  try {
    dir = await mkdtemp(join(base, 'pgshift-scratch-'));
  } catch (error) {
    throw fail('SCRATCH_FAILED', `could not create a temporary directory in ${base}: ${reasonOf(error)}`, {
      hint: 'give a temporary directory that exists and can be written to',
    });
  }
  const user = options.user;
  const own = (path: string) => (user ? chown(path, user.uid, user.gid) : Promise.resolve());
  const paths = { dir, dataDir: join(dir, 'data'), logFile: join(dir, 'server.log') };
  const socketDir = join(dir, 'socket');
  // Too long a path for a socket: the server listens on TCP only, which is all pgshift uses.
  const withSocket = options.platform !== 'win32' && join(socketDir, '.s.PGSQL.65535').length <= SOCKET_PATH_MAX;
  try {
    await own(dir);
    if (!withSocket) return paths;
    await mkdir(socketDir, { mode: 0o700 });
    await own(socketDir);
    return { ...paths, socketDir };
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw fail('SCRATCH_FAILED', `could not prepare the temporary directory ${dir}: ${reasonOf(error)}`, {
      hint: 'give a temporary directory on a file system that supports ownership and permissions',
    });
  }
}

async function usableBase(wanted: string, user: RunAs | undefined): Promise<string> {
  if (!user) return wanted;
  const blocked = await blockedDirectory(wanted, user);
  if (blocked === undefined) return wanted;
  const fallback = tmpdir();
  if (fallback !== wanted && (await blockedDirectory(fallback, user)) === undefined) return fallback;
  throw fail(
    'SCRATCH_UNAVAILABLE',
    `running as root, PostgreSQL runs as the user ${user.name}, who cannot enter ${blocked} on the way to the temporary directory ${wanted}`,
    {
      hint: `give a temporary directory every user can enter (such as /tmp), let others enter ${blocked} (chmod o+x ${blocked}), or run pgshift as a user other than root`,
    },
  );
}

/** What Windows needs to start a process at all; nothing in them is a secret. */
const WINDOWS_KEPT = ['SystemRoot', 'SYSTEMROOT', 'windir', 'TEMP', 'TMP', 'PATHEXT', 'COMSPEC'];

/**
 * The environment of initdb and postgres: only what PostgreSQL needs (a
 * PATH, a locale, and on Windows the system's own directories), never the
 * caller's. The server runs the migrations of a pull request, which a
 * stranger wrote: with `COPY … TO PROGRAM` or an untrusted language it
 * could read its environment, so nothing of pgshift's (a GitHub token, the
 * production connection, `ACTIONS_*`, cloud keys, PG*) may be in it. English
 * messages, which "could not bind" is recognised by. HOME is the server's
 * own directory, so nothing reaches for the caller's.
 */
export function serverEnv(env: Env, home: string, platform: Platform = process.platform): Env {
  const kept: Record<string, string> = { PATH: env.PATH ?? env.Path ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', HOME: home, TZ: 'UTC' };
  if (platform === 'win32') {
    for (const name of WINDOWS_KEPT) {
      const value = env[name];
      if (value !== undefined) kept[name] = value;
    }
  }
  return kept;
}
