import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveCount } from '../../src/scratch/cleanup.js';
import { startScratchCluster, type PostgresBinaries, type ScratchCluster } from '../../src/scratch/index.js';
import { anyBinaries, connect, embeddedBin, failure, portOpen, query } from '../support/scratch-support.js';

const isRoot = process.getuid?.() === 0;
let binaries: PostgresBinaries;
let server: ScratchCluster;

const start = (extra: Partial<Parameters<typeof startScratchCluster>[0]> = {}) =>
  startScratchCluster({ env: process.env, platform: process.platform, connect, binaries, ...extra });

beforeAll(async () => {
  binaries = await anyBinaries();
  server = await start();
});
afterAll(async () => {
  await server?.stop();
});

describe('a private scratch server', () => {
  it('answers queries at its URL, as the release it was found to be', async () => {
    expect(server.kind).toBe('private');
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(server).toMatchObject({ major: binaries.major, version: binaries.version, bin: binaries.bin });
    const [row] = await query<{ version: string; user: string }>(server.url, 'SELECT version(), current_user AS user');
    expect(row?.version).toContain(`PostgreSQL ${binaries.version}`);
    expect(row?.user).toBe('postgres');
  });

  it('runs with durability off, listening on 127.0.0.1 only, its socket in its own directory', async () => {
    const rows = await query<{ name: string; setting: string }>(
      server.url,
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses', 'unix_socket_directories', 'max_connections') ORDER BY name`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.setting]))).toEqual({
      fsync: 'off',
      full_page_writes: 'off',
      listen_addresses: '127.0.0.1',
      max_connections: '20',
      synchronous_commit: 'off',
      unix_socket_directories: join(server.dir, 'socket'),
    });
  });

  it('creates databases that copy a template, table and rows included', async () => {
    const base = await server.createDatabase();
    expect(base).toMatch(new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${server.port}/pgshift_scratch_[0-9a-f]{12}$`));
    await query(base, `CREATE TABLE carried (id int PRIMARY KEY, note text); INSERT INTO carried VALUES (1, 'over')`);
    const byUrl = await server.createDatabase({ template: base });
    const byName = await server.createDatabase({ template: new URL(base).pathname.slice(1) });
    for (const copy of [byUrl, byName]) expect(await query(copy, 'SELECT id, note FROM carried')).toEqual([{ id: 1, note: 'over' }]);
    const [encoding] = await query<{ e: string }>(
      byUrl,
      'SELECT pg_encoding_to_char(encoding) AS e FROM pg_database WHERE datname = current_database()',
    );
    expect(encoding?.e).toBe('UTF8');
  });

  it('drops a database it made when asked, though a session is still in it', async () => {
    const made = await server.createDatabase();
    const lingering = await connect(made);
    await server.dropDatabase(made);
    await lingering.close().catch(() => undefined);
    const names = await query<{ datname: string }>(server.url, 'SELECT datname FROM pg_database');
    expect(names.map((r) => r.datname)).not.toContain(new URL(made).pathname.slice(1));
  });

  it('says clearly when the template does not exist', async () => {
    const error = await failure(server.createDatabase({ template: 'no_such_db' }));
    expect(error.code).toBe('SCRATCH_FAILED');
    expect(error.message).toBe(
      `could not copy the database no_such_db on postgres://postgres@127.0.0.1:${server.port}/postgres: there is no such database`,
    );
  });
});

describe('stopping a private scratch server', () => {
  it('removes its directory, closes its port, unregisters from the exit handlers, and may be called again', async () => {
    const before = liveCount();
    const own = await start();
    expect(liveCount()).toBe(before + 1);
    const files = own.dir;
    expect(existsSync(join(files, 'data', 'PG_VERSION'))).toBe(true);
    expect(await portOpen(own.port)).toBe(true);
    await own.stop();
    expect(existsSync(files)).toBe(false);
    expect(await portOpen(own.port)).toBe(false);
    expect(liveCount()).toBe(before);
    await own.stop();
    const error = await failure(own.createDatabase());
    expect(error.message).toBe('the scratch server has been stopped');
  });
});

describe('a second major release', () => {
  it('runs the embedded PostgreSQL given as the bin directory setting', async () => {
    const embedded = await startScratchCluster({ env: {}, platform: process.platform, connect, bin: await embeddedBin() });
    try {
      expect(embedded.major).toBe(18);
      const [row] = await query<{ v: string }>(embedded.url, `SELECT current_setting('server_version') AS v`);
      expect(row?.v).toBe(embedded.version);
      const base = await embedded.createDatabase();
      await query(base, 'CREATE TABLE t (x int)');
      expect(await query(await embedded.createDatabase({ template: base }), 'SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      await embedded.stop();
    }
  });
});

describe('where its files go', () => {
  it('listens on TCP alone when the temporary directory is too deep for a Unix socket path', async () => {
    const top = await mkdtemp(join(tmpdir(), 'pgshift-deep-'));
    try {
      await chmod(top, 0o755);
      const tempRoot = join(top, 'd'.repeat(90));
      await mkdir(tempRoot);
      const own = await start({ tempRoot });
      try {
        expect(dirname(own.dir)).toBe(tempRoot);
        const [row] = await query<{ s: string }>(own.url, `SELECT current_setting('unix_socket_directories') AS s`);
        expect(row?.s).toBe('');
      } finally {
        await own.stop();
      }
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });

  it('says so when the temporary root does not exist', async () => {
    const missing = join(tmpdir(), `pgshift-missing-${process.pid}`, 'temp');
    const error = await failure(start({ tempRoot: missing }));
    expect(error.code).toBe('SCRATCH_FAILED');
    expect(error.message).toBe(`could not create a temporary directory in ${missing}: no such file`);
  });
});

describe('a server that will not start', () => {
  /** binaries whose postgres is a stub script: initdb is real, the server is not. */
  async function withStubServer(body: string): Promise<{ stub: PostgresBinaries; tempRoot: string; remove(): Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'pgshift-stub-'));
    // Open to the server's user when running as root.
    await chmod(dir, 0o755);
    const postgres = join(dir, 'postgres');
    await writeFile(postgres, `#!/bin/sh\n${body}\n`);
    await chmod(postgres, 0o755);
    const tempRoot = join(dir, 'temp');
    await mkdir(tempRoot, { mode: 0o777 });
    await chmod(tempRoot, 0o777);
    return { stub: { ...binaries, postgres }, tempRoot, remove: () => rm(dir, { recursive: true, force: true }) };
  }

  it('is reported with the end of its log, and leaves no directory behind', async () => {
    const { stub, tempRoot, remove } = await withStubServer(
      'echo "LOG:  starting the stub" >&2; echo "FATAL:  the stub refuses to start" >&2; exit 1',
    );
    try {
      const error = await failure(start({ binaries: stub, tempRoot }));
      expect(error.code).toBe('SCRATCH_FAILED');
      expect(error.message).toBe(
        `the PostgreSQL ${binaries.version} server in ${binaries.bin} stopped while starting (exit code 1); the end of its log:\n  LOG:  starting the stub\n  FATAL:  the stub refuses to start`,
      );
      expect(await readdir(tempRoot)).toEqual([]);
    } finally {
      await remove();
    }
  });

  it('times out with the end of its log when it never accepts connections, and leaves no directory behind', async () => {
    const { stub, tempRoot, remove } = await withStubServer('echo "LOG:  stuck in recovery" >&2; exec sleep 60');
    try {
      const error = await failure(start({ binaries: stub, tempRoot, startTimeoutMs: 300 }));
      expect(error.code).toBe('SCRATCH_FAILED');
      expect(error.message).toMatch(
        /^the PostgreSQL .* server in .* did not accept connections within 0\.3 s \(last attempt: .*\); the end of its log:\n {2}LOG: {2}stuck in recovery$/,
      );
      expect(await readdir(tempRoot)).toEqual([]);
    } finally {
      await remove();
    }
  });
});

describe('running as root', () => {
  it('runs the server as an unprivileged user, giving up a temporary root that user cannot enter for the system one', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'pgshift-locked-'));
    try {
      await chmod(locked, 0o700);
      const tempRoot = join(locked, 'runner-temp');
      await mkdir(tempRoot);
      const own = await start({ tempRoot });
      try {
        // Under root the server's user cannot enter `locked`; otherwise the caller's own directory is fine.
        expect(dirname(own.dir)).toBe(isRoot ? tmpdir() : tempRoot);
        // Its data belong to the user it runs as: never root.
        expect((await stat(join(own.dir, 'data'))).uid).toBe(isRoot ? (await stat(own.dir)).uid : process.getuid?.());
        if (isRoot) expect((await stat(own.dir)).uid).not.toBe(0);
        const [row] = await query<{ n: number }>(own.url, 'SELECT 1 AS n');
        expect(row?.n).toBe(1);
      } finally {
        await own.stop();
      }
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });

  it('under root, says exactly what to do when no temporary directory is open to the server user', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'pgshift-locked-'));
    const saved = process.env.TMPDIR;
    try {
      await chmod(locked, 0o700);
      const tempRoot = join(locked, 'runner-temp');
      await mkdir(tempRoot);
      // os.tmpdir() reads TMPDIR: the system temporary directory is then closed to the server user too.
      process.env.TMPDIR = tempRoot;
      const attempt = start({ tempRoot });
      if (isRoot) {
        const error = await failure(attempt);
        expect(error.code).toBe('SCRATCH_UNAVAILABLE');
        expect(error.message).toMatch(
          new RegExp(
            `^running as root, PostgreSQL runs as the user \\w+, who cannot enter ${locked} on the way to the temporary directory ${tempRoot}$`,
          ),
        );
        expect(error.problem.hint).toContain(`chmod o+x ${locked}`);
      } else {
        const own = await attempt;
        expect(dirname(own.dir)).toBe(tempRoot);
        await own.stop();
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(locked, { recursive: true, force: true });
    }
  });

  it('under root, runs binaries the server user cannot reach from a copy it can reach, made once and root-owned', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'pgshift-locked-bin-'));
    try {
      await chmod(locked, 0o700);
      const bin = join(locked, 'bin');
      await mkdir(bin);
      for (const name of ['initdb', 'postgres']) await symlink(join(binaries.bin, name), join(bin, name));
      const server = await start({ binaries: { ...binaries, bin, initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') } });
      try {
        if (isRoot) {
          // A checkout under a mode-700 home: the installation runs from the system's temporary directory instead.
          expect(server.bin).not.toBe(bin);
          expect(server.bin.startsWith(join(tmpdir(), `pgshift-postgres-${binaries.version}-`))).toBe(true);
          expect((await stat(server.bin)).uid).toBe(0);
        } else {
          expect(server.bin).toBe(bin);
        }
      } finally {
        await server.stop();
      }
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });
});
