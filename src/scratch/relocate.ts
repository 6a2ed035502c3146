import { cp, chmod, lstat, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fail } from '../core/problem.js';
import { cannotRun, type RunAs } from './run-as.js';
import type { PostgresBinaries } from './types.js';

/**
 * Binaries the server's user can run. Under root the server runs as an
 * unprivileged user, who cannot enter a mode-700 directory: binaries from
 * an npm package in a checkout under a root home or a `mktemp -d` are out of
 * its reach. Then the installation (bin/ and the lib/ and share/ beside it,
 * which PostgreSQL finds relative to its binaries) is copied once into the
 * system's temporary directory, open to all and owned by root, and run from
 * there. Throws SCRATCH_UNAVAILABLE when even the copy cannot be run.
 */
export async function reachableBinaries(binaries: PostgresBinaries, user: RunAs): Promise<PostgresBinaries> {
  const why = await unrunnable(binaries, user);
  if (why === undefined) return binaries;
  const copy = await copyInstallation(dirname(binaries.bin), binaries.version).catch(() => undefined);
  const moved = copy && withBin(binaries, join(copy, basename(binaries.bin)));
  if (moved && (await unrunnable(moved, user)) === undefined) return moved;
  throw fail('SCRATCH_UNAVAILABLE', `running as root, PostgreSQL must run as the user ${user.name}, who cannot run ${why}`, {
    hint: 'install PostgreSQL where every user can reach it (the system packages do), let others enter that directory, run pgshift as a user other than root, or give the scratch server URL of a server you provide',
    settings: ['scratchUrl'],
  });
}

async function unrunnable(binaries: PostgresBinaries, user: RunAs): Promise<string | undefined> {
  for (const program of [binaries.initdb, binaries.postgres]) {
    const why = await cannotRun(program, user);
    if (why !== undefined) return `${program}: ${why}`;
  }
  return undefined;
}

function withBin(binaries: PostgresBinaries, bin: string): PostgresBinaries {
  const at = (program: string) => join(bin, basename(program));
  return {
    ...binaries,
    bin,
    initdb: at(binaries.initdb),
    postgres: at(binaries.postgres),
    ...(binaries.pgCtl !== undefined && { pgCtl: at(binaries.pgCtl) }),
  };
}

/** The copy's directory: made once per installation and release; reused while it is root's and complete. */
async function copyInstallation(root: string, version: string): Promise<string> {
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const target = join(tmpdir(), `pgshift-postgres-${version}-${id}`);
  const done = join(target, '.complete');
  // lstat: a link planted in the shared temporary directory is never followed.
  const mine = await lstat(done).then(
    (s) => s.isFile() && s.uid === 0,
    () => false,
  );
  const owner = await lstat(target).then(
    (s) => (s.isDirectory() ? s.uid : -1),
    () => undefined,
  );
  if (mine && owner === 0) return target;
  // Someone else's (or half made): never run it; make ours under another name.
  const fresh = owner === undefined ? target : `${target}-${process.pid}`;
  const partial = `${fresh}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  try {
    await mkdir(partial, { mode: 0o755 });
    for (const entry of await readdir(root)) {
      // Symbolic links as they are: the libraries' links point inside the installation.
      await cp(join(root, entry), join(partial, entry), { recursive: true, verbatimSymlinks: true });
    }
    await openToAll(partial);
    await writeFile(join(partial, '.complete'), '');
    await rm(fresh, { recursive: true, force: true });
    await rename(partial, fresh);
    return fresh;
  } finally {
    // Gone once renamed; a copy that failed half-way is not left in the shared directory.
    await rm(partial, { recursive: true, force: true }).catch(() => {});
  }
}

/** Every directory enterable and every file readable by all (executables keep their execute bits). */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await openToAll(path);
    else if (entry.isFile()) await chmod(path, (await stat(path)).mode | 0o444);
  }
}
