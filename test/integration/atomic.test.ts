import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParser } from '../../src/core/migration.js';
import { gidOf } from '../../src/engine/leftovers.js';
import { prepareTarget, type AtomicTarget, type PreparedTarget, type RunContext } from '../../src/engine/prepared.js';
import { commitPrepared, transactionFate } from '../../src/engine/finish.js';
import { runAtomic } from '../../src/fleet/atomic.js';
import { resolveOptions } from '../../src/options.js';
import { startScratchCluster, type ScratchCluster } from '../../src/scratch/index.js';
import { adminUrl } from '../support/db.js';
import { migrationsDir } from '../support/files.js';
import { anyBinaries, connect, query } from '../support/scratch-support.js';

// A server that can prepare transactions (the suite's, local or embedded, has max_prepared_transactions = 0, PostgreSQL's default).
let server: ScratchCluster;
beforeAll(async () => {
  server = await startScratchCluster({
    connect,
    env: {},
    platform: process.platform,
    binaries: await anyBinaries(),
    maxConnections: 60,
    maxPreparedTransactions: 20,
  });
}, 120_000);
afterAll(() => server?.stop());

const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n';
const FILES = { '001_users.sql': USERS, '002_orders.sql': ORDERS };

const databases = async (n: number): Promise<AtomicTarget[]> =>
  Promise.all(Array.from({ length: n }, async (_, i) => ({ id: `shard-${i + 1}`, connection: await server.createDatabase() })));
const prepared = async (url: string) => (await query<{ gid: string }>(url, 'SELECT gid FROM pg_prepared_xacts')).map((r) => r.gid);
const versions = async (url: string, table = 'schema_migrations') =>
  (await query<{ v: string }>(url, `SELECT version::text AS v FROM ${table} ORDER BY version`).catch(() => [])).map((r) => Number(r.v));
const tables = async (url: string, schema = 'public') =>
  (
    await query<{ t: string }>(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])
  ).map((r) => r.t);

describe('fleet migrate --atomic', () => {
  it('commits on every target, and says how long the first prepared waited for the last', async () => {
    const targets = await databases(3);
    const result = await runAtomic(targets, { dir: await migrationsDir(FILES), concurrency: 2, runId: 'all-commit' });
    expect(result).toMatchObject({ ok: true, decision: 'commit', runId: 'all-commit' });
    expect(result.targets.map((t) => [t.id, t.status, t.gid?.startsWith('pgshift:all-commit:')])).toEqual([
      ['shard-1', 'committed', true],
      ['shard-2', 'committed', true],
      ['shard-3', 'committed', true],
    ]);
    expect(result.targets.every((t) => t.results.every((r) => r.status === 'success') && typeof t.heldMs === 'number')).toBe(true);
    expect(result.lockWindowMs).toBeGreaterThanOrEqual(Math.max(...result.targets.map((t) => t.heldMs!)));
    for (const t of targets) {
      expect(await versions(t.connection as string)).toEqual([1, 2]);
      expect(await tables(t.connection as string)).toEqual(['orders', 'schema_migrations', 'users']);
    }
    expect(await prepared(server.url)).toEqual([]);
    // Run again: nothing to do, nothing prepared.
    const again = await runAtomic(targets, { dir: await migrationsDir(FILES) });
    expect(again).toMatchObject({ ok: true, decision: 'nothing-to-do' });
  });

  it('a failure on one target (the last, after the others prepared) leaves every target unchanged and no prepared transaction', async () => {
    const targets = await databases(3);
    const poisoned = targets[2]!.connection as string;
    await query(poisoned, 'CREATE TABLE orders (id int)');
    const result = await runAtomic(targets, { dir: await migrationsDir(FILES), concurrency: 1 });
    expect(result).toMatchObject({ ok: false, decision: 'rollback' });
    expect(result.targets.map((t) => t.status)).toEqual(['rolled-back', 'rolled-back', 'failed']);
    // The first two had been prepared: they held their locks until the rollback.
    expect(result.targets.slice(0, 2).every((t) => t.gid !== undefined && typeof t.heldMs === 'number')).toBe(true);
    const failed = result.targets[2]!;
    expect(failed.error?.problem).toMatchObject({ code: 'MIGRATION_FAILED', file: expect.stringMatching(/002_orders\.sql$/), line: 2 });
    expect(failed.results.map((r) => r.status)).toEqual(['not-executed', 'error']);
    expect(result.targets[0]!.results.map((r) => r.status)).toEqual(['not-executed', 'not-executed']);
    expect(result.error?.problems.map((p) => p.code)).toEqual(['MIGRATION_FAILED']);
    for (const t of targets) expect(await versions(t.connection as string)).toEqual([]);
    expect(await tables(targets[0]!.connection as string)).toEqual([]);
    expect(await tables(poisoned)).toEqual(['orders']);
    expect(await prepared(server.url)).toEqual([]);
  });

  it('refuses before anything runs when a server cannot prepare transactions, naming the target', async () => {
    const [good] = await databases(1);
    const zero = await zeroPreparedUrl();
    const result = await runAtomic([good!, { id: 'no-2pc', connection: zero }], { dir: await migrationsDir(FILES) });
    expect(result).toMatchObject({ ok: false, decision: 'refused' });
    expect(result.error?.problems).toHaveLength(1);
    expect(result.error?.problem).toMatchObject({
      code: 'ATOMIC_REFUSED',
      message: expect.stringMatching(/^target no-2pc .*max_prepared_transactions is 0/),
    });
    expect(result.error?.problem.hint).toMatch(/max_prepared_transactions.*restart/);
    expect(result.targets.map((t) => t.status)).toEqual(['not-started', 'not-started']);
    expect(await versions(good!.connection as string)).toEqual([]);
    expect(await tables(good!.connection as string)).toEqual([]);
  });

  it('refuses a pending no-transaction migration, naming the target and the file, and runs nothing anywhere', async () => {
    const targets = await databases(2);
    await runAtomic(targets.slice(0, 1), { dir: await migrationsDir({ '001_users.sql': USERS }) });
    const index = '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n';
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_index.sql': index });
    const result = await runAtomic(targets, { dir });
    expect(result.decision).toBe('refused');
    expect(result.error?.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^target shard-1 .*002_index\.sql runs without a transaction/),
      expect.stringMatching(/^target shard-2 .*002_index\.sql runs without a transaction/),
    ]);
    expect(result.error?.problem.hint).toMatch(/without --atomic/);
    // A file that cannot be read is said once, not once per target.
    const duplicated = await migrationsDir({ ...FILES, '002_again.sql': ORDERS });
    const [one, both] = [await runAtomic(targets.slice(1), { dir: duplicated }), await runAtomic(targets, { dir: duplicated })];
    expect(both.decision).toBe('refused');
    expect(both.error?.problem).toMatchObject({ code: 'DUPLICATE_VERSION' });
    expect(both.error?.problems).toEqual(one.error?.problems);
    expect(await versions(targets[0]!.connection as string)).toEqual([1]);
    expect(await versions(targets[1]!.connection as string)).toEqual([]);
  });

  it('rolls back what a run killed before its commit left prepared, then migrates', async () => {
    const targets = await databases(2);
    const dir = await migrationsDir(FILES);
    const left = await prepareAndDie(targets, dir, 'killed-early');
    expect(await prepared(server.url)).toEqual(left.map((p) => p.gid).sort());

    const result = await runAtomic(targets, { dir, runId: 'next' });
    expect(result).toMatchObject({ ok: true, decision: 'commit' });
    expect(result.targets.map((t) => t.leftovers)).toEqual(left.map((p) => [{ gid: p.gid, runId: 'killed-early', action: 'rolled-back' }]));
    for (const t of targets) expect(await versions(t.connection as string)).toEqual([1, 2]);
    expect(await prepared(server.url)).toEqual([]);
  });

  it('commits what a run killed after committing its coordinator left prepared: the coordinator decides', async () => {
    const targets = await databases(2);
    const dir = await migrationsDir(FILES);
    const [coordinator, participant] = await prepareAndDie(targets, dir, 'killed-late');
    expect(await commitPrepared(targets[0]!.connection, coordinator!.gid)).toBeUndefined();
    expect(await versions(targets[1]!.connection as string)).toEqual([]);

    const result = await runAtomic(targets, { dir });
    expect(result).toMatchObject({ ok: true, decision: 'nothing-to-do' });
    expect(result.targets[1]!.leftovers).toEqual([{ gid: participant!.gid, runId: 'killed-late', action: 'committed' }]);
    for (const t of targets) expect(await versions(t.connection as string)).toEqual([1, 2]);
    expect(await prepared(server.url)).toEqual([]);
  });

  it('leaves a leftover whose coordinator is not among the targets, refusing the run with the statements that end it', async () => {
    const targets = await databases(2);
    const dir = await migrationsDir(FILES);
    const [, participant] = await prepareAndDie(targets, dir, 'orphan');
    const refused = await runAtomic(targets.slice(1), { dir });
    expect(refused).toMatchObject({ ok: false, decision: 'refused' });
    expect(refused.error?.problem).toMatchObject({ code: 'PREPARED_LEFTOVER', message: expect.stringContaining(`'${participant!.gid}'`) });
    expect(refused.error?.problem.hint).toContain(`COMMIT PREPARED '${participant!.gid}'`);
    expect(refused.targets[0]!.leftovers).toEqual([{ gid: participant!.gid, runId: 'orphan', action: 'left' }]);
    expect(await prepared(server.url)).toContain(participant!.gid);
    // With its coordinator among the targets, both are ended (rolled back: nothing had committed) and the run goes on.
    const result = await runAtomic(targets, { dir });
    expect(result).toMatchObject({ ok: true, decision: 'commit' });
    expect(await prepared(server.url)).toEqual([]);
    for (const t of targets) expect(await versions(t.connection as string)).toEqual([1, 2]);
  });

  it("refuses a tenant's migration that resets search_path, naming file and line, and leaves every schema as it was", async () => {
    const url = await server.createDatabase();
    await query(url, 'CREATE SCHEMA tenant_x; CREATE SCHEMA tenant_y');
    const tenants = ['tenant_x', 'tenant_y'].map((schema) => ({ id: schema, connection: url, schema }));
    const resets = {
      '001_users.sql': '-- UP\nSET search_path TO public;\nRESET search_path;\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n',
    };
    const result = await runAtomic(tenants, { dir: await migrationsDir(resets), concurrency: 2 });
    expect(result).toMatchObject({ ok: false });
    expect(result.error?.problems[0]).toMatchObject({ code: 'UNSUPPORTED_SQL', file: expect.stringMatching(/001_users\.sql$/), line: 3 });
    for (const schema of ['tenant_x', 'tenant_y', 'public']) expect(await tables(url, schema)).toEqual([]);
    expect(await prepared(url)).toEqual([]);
  });

  it('migrates schema-per-tenant targets, each in its schema with its own tracking table, all or none', async () => {
    const url = await server.createDatabase();
    await query(url, 'CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_c');
    const tenants = ['tenant_a', 'tenant_b', 'tenant_c'].map((schema) => ({ id: schema, connection: url, schema }));
    await query(url, 'CREATE TABLE tenant_c.orders (id int)');
    const poisoned = await runAtomic(tenants, { dir: await migrationsDir(FILES), concurrency: 3 });
    expect(poisoned).toMatchObject({ ok: false, decision: 'rollback' });
    for (const schema of ['tenant_a', 'tenant_b']) expect(await tables(url, schema)).toEqual([]);
    expect(await prepared(url)).toEqual([]);

    await query(url, 'DROP TABLE tenant_c.orders');
    const result = await runAtomic(tenants, { dir: await migrationsDir(FILES), concurrency: 3 });
    expect(result).toMatchObject({ ok: true, decision: 'commit' });
    for (const schema of ['tenant_a', 'tenant_b', 'tenant_c']) {
      expect(await tables(url, schema)).toEqual(['orders', 'schema_migrations', 'users']);
      expect(await versions(url, `${schema}.schema_migrations`)).toEqual([1, 2]);
    }
    expect(await tables(url)).toEqual([]);
  });
});

describe('fleet migrate --atomic with lock retries', () => {
  const ADD = { '001_note.sql': '-- UP\nALTER TABLE accounts ADD COLUMN note text;\n-- DOWN\nALTER TABLE accounts DROP COLUMN note;\n' };
  const columns = async (url: string) =>
    (
      await query<{ c: string }>(url, `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'accounts' ORDER BY 1`)
    ).map((r) => r.c);

  /** Two targets with an accounts table; the second's is held by another session until `release()`. */
  async function blocked() {
    const targets = await databases(2);
    for (const t of targets) await query(t.connection as string, 'CREATE TABLE accounts (id int)');
    const holder = new pg.Client(targets[1]!.connection as string);
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE; SELECT 1');
    return { targets, release: () => holder.query('COMMIT').then(() => holder.end()) };
  }

  it('retries a lock timeout on one target under a savepoint, the others staying prepared, and commits everywhere once the lock is free', async () => {
    const { targets, release } = await blocked();
    const releasing = new Promise((resolve) => setTimeout(resolve, 700)).then(release);
    const result = await runAtomic(targets, {
      dir: await migrationsDir(ADD),
      concurrency: 2,
      lockTimeoutMs: 150,
      lockRetries: 20,
      lockRetryBackoff: { firstMs: 100, maxMs: 200 },
    });
    await releasing;
    expect(result).toMatchObject({ ok: true, decision: 'commit' });
    const second = result.targets[1]!;
    expect(second.results).toMatchObject([{ status: 'success', lockRetries: expect.any(Number) }]);
    expect(second.results[0]!.lockRetries).toBeGreaterThan(0);
    for (const t of targets) expect(await columns(t.connection as string)).toEqual(['id', 'note']);
    expect(await prepared(server.url)).toEqual([]);
  });

  it('without retries, the same lock timeout rolls every target back', async () => {
    const { targets, release } = await blocked();
    try {
      const result = await runAtomic(targets, { dir: await migrationsDir(ADD), concurrency: 2, lockTimeoutMs: 150 });
      expect(result).toMatchObject({ ok: false, decision: 'rollback' });
      expect(result.targets[1]!.error?.problem.message).toMatch(/lock timeout/);
    } finally {
      await release();
    }
    for (const t of targets) expect(await columns(t.connection as string)).toEqual(['id']);
    expect(await prepared(server.url)).toEqual([]);
  });
});

/** What a runner killed between the phases leaves: every target prepared, its locks gone with its sessions. */
async function prepareAndDie(targets: readonly AtomicTarget[], dir: string, runId: string): Promise<PreparedTarget[]> {
  const settings = resolveOptions({ dir });
  const context: RunContext = {
    settings,
    listing: await settings.source.read(),
    parse: createParser(),
    runId,
    fate: ({ xid }) => transactionFate(targets[0]!.connection, settings, xid),
  };
  let started!: (c: { id: string; xid: string }) => void;
  const coordinator = new Promise<{ id: string; xid: string }>((resolve) => (started = resolve));
  const first = await prepareTarget(targets[0]!, context, { kind: 'coordinator', started }, () => false);
  const second = await prepareTarget(targets[1]!, context, { kind: 'participant', coordinator }, () => false);
  if (first.status !== 'prepared' || second.status !== 'prepared') throw new Error('not prepared');
  expect(first.gid).toBe(gidOf(runId, targets[0]!.id));
  expect(second.gid).toBe(gidOf(runId, targets[1]!.id, { id: targets[0]!.id, xid: first.xid! }));
  await first.lock.release();
  await second.lock.release();
  return [first, second];
}

/** A server with max_prepared_transactions = 0: the suite's own (PostgreSQL's default), checked. */
async function zeroPreparedUrl(): Promise<string> {
  const [row] = await query<{ max_prepared_transactions: string }>(adminUrl(), 'SHOW max_prepared_transactions');
  expect(row?.max_prepared_transactions).toBe('0');
  return adminUrl();
}
