/**
 * `pgshift fleet migrate --atomic` through the built CLI: every target or
 * none, on a server that can prepare transactions; refused, before anything
 * runs, on one that cannot (the suite's: max_prepared_transactions = 0).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchCluster, type ScratchCluster } from '../../src/scratch/index.js';
import { runCli } from '../support/cli.js';
import { migrationsDir } from '../support/files.js';
import { createDatabases } from '../support/fleet.js';
import { anyBinaries, connect, query } from '../support/scratch-support.js';

let server: ScratchCluster;
beforeAll(async () => {
  server = await startScratchCluster({
    connect,
    env: {},
    platform: process.platform,
    binaries: await anyBinaries(),
    maxConnections: 40,
    maxPreparedTransactions: 10,
  });
}, 120_000);
afterAll(() => server?.stop());

const FILES = {
  '001_users.sql': '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n',
  '002_orders.sql': '-- UP\nCREATE TABLE orders (id int, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n',
};

/** A project whose pgshift.json lists the databases as targets `s1`…, each URL in `S<i>_URL`. */
async function project(urls: readonly string[]) {
  const dir = await migrationsDir(FILES);
  const cwd = join(dir, '..');
  const targets = urls.map((_, i) => ({ id: `s${i + 1}`, urlEnv: `S${i + 1}_URL` }));
  await writeFile(join(cwd, 'pgshift.json'), JSON.stringify({ targets }));
  const env = Object.fromEntries(urls.map((url, i) => [`S${i + 1}_URL`, url]));
  return { cwd, env, run: (args: string[]) => runCli(['fleet', 'migrate', '--atomic', ...args], env, { cwd }) };
}

const versions = async (url: string) =>
  (await query<{ v: string }>(url, 'SELECT version::text AS v FROM schema_migrations ORDER BY 1').catch(() => [])).map((r) => Number(r.v));

describe('fleet migrate --atomic', () => {
  it('rolls every target back when one fails, then commits on all of them once it is fixed', async () => {
    const urls = await Promise.all([1, 2, 3].map(() => server.createDatabase()));
    // The third shard already has an orders table: 002 fails there, after the others prepared.
    await query(urls[2]!, 'CREATE TABLE orders (id int)');
    const p = await project(urls);

    const failed = await p.run(['--json']);
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.stdout);
    expect(report.stopped.join('\n')).toMatch(/all or none: s3 failed, every target rolled back/);
    const byId = Object.fromEntries(report.targets.map((t: { id: string }) => [t.id, t]));
    expect(byId.s3).toMatchObject({ status: 'failed', error: { code: 'MIGRATION_FAILED', line: 2 } });
    expect(byId.s3.error.file).toMatch(/002_orders\.sql$/);
    expect(byId.s1).toMatchObject({ status: 'failed', error: { code: 'ATOMIC_ROLLED_BACK' } });
    for (const url of urls) expect(await versions(url)).toEqual([]);
    expect(await query(server.url, 'SELECT gid FROM pg_prepared_xacts')).toEqual([]);
    // The ledger says the same, and how long the prepared targets held their locks.
    const ledger = JSON.parse(await readFile(join(p.cwd, report.ledger), 'utf8').catch(() => readFile(report.ledger, 'utf8')));
    expect(ledger.targets.map((t: { status: string }) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(typeof ledger.lockWindowMs).toBe('number');

    await query(urls[2]!, 'DROP TABLE orders');
    const ok = await p.run([]);
    expect(ok.stderr).toMatch(/✓ s3 /);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/3 done/);
    expect(ok.stdout).toMatch(/all or none: the first target prepared held its locks .+ waiting for the last/);
    for (const url of urls) expect(await versions(url)).toEqual([1, 2]);
    expect(await query(server.url, 'SELECT gid FROM pg_prepared_xacts')).toEqual([]);
  });

  it('is refused before anything runs where the server cannot prepare transactions, and with --resume', async () => {
    const dbs = await createDatabases(2);
    try {
      const p = await project(dbs.urls);
      const refused = await p.run([]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/max_prepared_transactions/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      for (let i = 0; i < 2; i++) expect(await dbs.query(i, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]);
      const resume = await p.run(['--resume', 'some-run']);
      expect(resume.code).toBe(2);
      expect(resume.stderr).toMatch(/--atomic cannot --resume/);
    } finally {
      await dbs.drop();
    }
  });
});
