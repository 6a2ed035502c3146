/**
 * sslmode as libpq documents it, against a real private PostgreSQL with
 * TLS turned on (a self-signed certificate for localhost and 127.0.0.1
 * from test/fixtures/tls) and the test server without TLS.
 */
import { chown, copyFile, chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator } from '../../src/index.js';
import { openSession } from '../../src/postgres/pg-client.js';
import { startScratchCluster, type ScratchCluster } from '../../src/scratch/index.js';
import { runCli } from '../support/cli.js';
import { adminUrl } from '../support/db.js';
import { migrationsDir } from '../support/files.js';
import { anyBinaries, connect } from '../support/scratch-support.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
let server: ScratchCluster;
let dir: string;

beforeAll(async () => {
  server = await startScratchCluster({ connect, env: {}, platform: process.platform, binaries: await anyBinaries() });
  const session = await openSession(server.url);
  try {
    const [row] = (await session.client.query<{ data_directory: string }>('SHOW data_directory')).rows;
    const data = row!.data_directory;
    const owner = await stat(data);
    for (const name of ['server.crt', 'server.key']) {
      await copyFile(join(FIXTURES, name), join(data, name));
      await chmod(join(data, name), 0o600);
      if (process.getuid?.() === 0) await chown(join(data, name), owner.uid, owner.gid);
    }
    await session.client.query('ALTER SYSTEM SET ssl = on');
    await session.client.query('SELECT pg_reload_conf()');
  } finally {
    await session.close();
  }
  dir = await migrationsDir({ '001_a.sql': '-- UP\nCREATE TABLE a (id int);\n' });
});
afterAll(async () => server?.stop());

const withMode = (url: string, params: string) => `${url}${url.includes('?') ? '&' : '?'}${params}`;
const encrypted = async (url: string) => {
  const session = await openSession(url);
  try {
    const [row] = (await session.client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows;
    return row?.ssl === true;
  } finally {
    await session.close();
  }
};
const failure = async (url: string) => {
  const error = await openSession(url).then(
    async (s) => (await s.close(), undefined),
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error(`expected ${url} to fail`);
  return error;
};
const root = (file: string) => `sslrootcert=${join(FIXTURES, file)}`;

describe('sslmode, as libpq reads it', () => {
  it('prefer encrypts when the server can, and falls back to plain when it cannot', async () => {
    expect(await encrypted(withMode(server.url, 'sslmode=prefer'))).toBe(true);
    expect(await new Migrator({ connection: withMode(adminUrl(), 'sslmode=prefer'), dir }).status()).toMatchObject({ pendingCount: 1 });
  });

  it('require encrypts without verifying the certificate, as managed databases with self-signed certificates need', async () => {
    expect(await encrypted(withMode(server.url, 'sslmode=require'))).toBe(true);
  });

  it('require refuses a server without TLS, in one clear line', async () => {
    const error = await failure(withMode(adminUrl(), 'sslmode=require'));
    expect(error.message).toMatch(/^cannot connect to .*: the server does not accept TLS connections/);
    expect(error.message).not.toContain('\n');
  });

  it('verify-ca and verify-full check the certificate against sslrootcert', async () => {
    expect(await encrypted(withMode(server.url, `sslmode=verify-ca&${root('server.crt')}`))).toBe(true);
    expect(await encrypted(withMode(server.url, `sslmode=verify-full&${root('server.crt')}`))).toBe(true);
    const untrusted = await failure(withMode(server.url, 'sslmode=verify-full'));
    expect(untrusted.message).toContain("the server's certificate is self-signed, so it cannot be verified");
    const other = await failure(withMode(server.url, `sslmode=verify-ca&${root('other.crt')}`));
    expect(other.message).toMatch(/certificate/);
    const missing = await failure(withMode(server.url, `sslmode=verify-ca&${root('no-such.crt')}`));
    expect(missing.message).toContain('a file the connection names does not exist');
  });

  it('prints no driver warning: the CLI with sslmode=require says only what it did', async () => {
    const run = await runCli(['status', '--dir', dir], { DATABASE_URL: withMode(server.url, 'sslmode=require') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Pending: 1');
  });
});
