import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fail } from '../core/problem.js';

/**
 * initdb and postgres refuse to run as root ("cannot be run as root"). When
 * pgshift runs as root (containers, some CI images) it runs them as an
 * unprivileged user instead: `postgres` when the system has one (the server
 * packages create it), else `nobody`.
 */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The users of an /etc/passwd text, by name. Read directly: no getent, which a slim image may lack. */
export function parsePasswd(text: string): ReadonlyMap<string, RunAs> {
  const users = new Map<string, RunAs>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uid, gid] = line.split(':');
    if (!name || uid === undefined || gid === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
    if (!users.has(name)) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  return users;
}

const ROOT_HINT =
  'create an unprivileged user named postgres (the PostgreSQL server packages do), run pgshift as a user other than root, or give the scratch server URL of a server you provide';

/** The user to run the server as, when running as root. */
export async function unprivilegedUser(passwdFile = '/etc/passwd'): Promise<RunAs> {
  let text: string;
  try {
    text = await readFile(passwdFile, 'utf8');
  } catch {
    throw fail(
      'SCRATCH_UNAVAILABLE',
      `running as root, PostgreSQL must run as another user, and ${passwdFile} could not be read to find one`,
      {
        hint: ROOT_HINT,
        settings: ['scratchUrl'],
      },
    );
  }
  const users = parsePasswd(text);
  const user = users.get('postgres') ?? users.get('nobody');
  if (!user || user.uid === 0) {
    throw fail(
      'SCRATCH_UNAVAILABLE',
      'running as root, PostgreSQL must run as another user, and there is neither a postgres nor a nobody user',
      {
        hint: ROOT_HINT,
        settings: ['scratchUrl'],
      },
    );
  }
  return user;
}

interface Mode {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Whether the permission bits grant `bit` (1 = execute/search, 4 = read) to
 * the user. Only the primary group counts: Node drops supplementary groups
 * when it spawns with a uid. ACLs are not read.
 */
export function permits(entry: Mode, user: RunAs, bit: 1 | 2 | 4): boolean {
  if (entry.uid === user.uid) return (entry.mode & (bit << 6)) !== 0;
  if (entry.gid === user.gid) return (entry.mode & (bit << 3)) !== 0;
  return (entry.mode & bit) !== 0;
}

/**
 * The first directory on the way to `path` (from `/`, `path` itself
 * included) that the user may not enter, or undefined when every one is
 * open: a checkout under a mode-700 /root is the usual case.
 */
export async function blockedDirectory(path: string, user: RunAs): Promise<string | undefined> {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const entry = await stat(dir).catch(() => undefined);
    // A missing directory is reported by whoever creates or reads it, in its own words.
    if (!entry) return undefined;
    if (!permits(entry, user, 1)) return dir;
  }
  return undefined;
}

/** Why the user cannot run this program, or undefined when it can. */
export async function cannotRun(file: string, user: RunAs): Promise<string | undefined> {
  const blocked = await blockedDirectory(dirname(file), user);
  if (blocked) return `${blocked} is not open to it`;
  const entry = await stat(file).catch(() => undefined);
  if (entry && !permits(entry, user, 1)) return `${file} is not executable by it`;
  return undefined;
}
