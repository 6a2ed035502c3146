/**
 * The built CLI in the small things users notice: each command's help, a
 * line as each migration starts, status failing on a changed history, and
 * repair.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';
import { commit, gitRepo } from '../support/git.js';

const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE orders;\n';

let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});
const database = async () => {
  const db = await createDatabase();
  databases.push(db);
  return db;
};

describe('the built CLI, command by command', () => {
  it('prints the help of one command for `<command> --help` and `help <command>`', async () => {
    for (const args of [
      ['migrate', '--help'],
      ['help', 'migrate'],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: pgshift migrate /);
      expect(run.stdout).toContain('--lock-wait');
      // verify's flags are not migrate's; the scratch server's are, for its drift check.
      expect(run.stdout).not.toContain('--superuser');
      expect(run.stdout).toContain('--drift <mode>');
    }
    expect((await runCli(['verify', '--help'])).stdout).toContain('--scratch-url');
    expect((await runCli(['drift', '--help'])).stdout).toMatch(/^Usage: pgshift drift [^]*Exit codes: 0 no drift, 1 drift found/);
    expect((await runCli(['repair', '-h'])).stdout).toContain('--dry-run');
  });

  it('says when each migration starts, not only when it ends', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const run = await runCli(['migrate', '--dir', dir], { DATABASE_URL: db.url });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const start = lines.findIndex((l) => l.includes('001_users.sql  applying…'));
    const done = lines.findIndex((l) => /✓ .*001_users\.sql {2}applied in/.test(l));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(done).toBeGreaterThan(start);
    expect(lines.findIndex((l) => l.includes('002_orders.sql  applying…'))).toBeGreaterThan(done);
  });

  it('status exits 1 on an applied file that changed, and marks it ✗, never ✓', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    expect((await runCli(['migrate', '--dir', dir], { DATABASE_URL: db.url })).code).toBe(0);
    await writeFile(join(dir, '001_users.sql'), USERS.replace('serial', 'bigserial'));
    const run = await runCli(['status', '--dir', dir], { DATABASE_URL: db.url });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ 1 users .*\(file changed\)/);
    expect(run.stdout).not.toMatch(/✓ 1 users/);
    expect((await runCli(['status', '--dir', dir, '--json'], { DATABASE_URL: db.url })).code).toBe(1);
  });

  it('validate names the file of each problem, and counts the files it checked', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_bad.sql': '-- UP\nCREATE TABLE t (id int);\nCOMMIT;\n' });
    const human = await runCli(['validate', '--dir', dir], { DATABASE_URL: db.url });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`error: ${join(dir, '002_bad.sql')}:3:1: "COMMIT" would break the migration's own transaction`);
    expect(human.stdout).toContain('checked files and history');
    const json = JSON.parse((await runCli(['validate', '--dir', dir, '--json'], { DATABASE_URL: db.url })).stdout);
    expect(json).toMatchObject({ ok: false, checked_database: true, files: 2 });
  });

  it('repair records checksums only where the change was comments or white space, after showing it, and never touches the schema', async () => {
    const db = await database();
    const repo = await gitRepo();
    await commit(repo, { 'migrations/001_users.sql': USERS, 'migrations/002_orders.sql': ORDERS });
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate'], env, { cwd: repo })).code).toBe(0);
    const schema = await db.schema();
    await writeFile(join(repo, 'migrations/001_users.sql'), `-- users, reformatted\n${USERS.replace('CREATE TABLE', 'CREATE  TABLE')}`);
    await writeFile(join(repo, 'migrations/002_orders.sql'), ORDERS.replace('serial', 'bigserial'));
    const refused = await runCli(['repair'], env, { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'migrations/002_orders.sql changed in its UP since it was applied, not only in comments or white space',
    );
    expect(refused.stdout).toContain('Nothing recorded');
    await writeFile(join(repo, 'migrations/002_orders.sql'), ORDERS);
    const dry = await runCli(['repair', '--dry-run'], env, { cwd: repo });
    expect(dry.stdout).toContain('+ -- users, reformatted');
    expect(dry.stdout).toContain('Dry run: 1 checksum would be recorded.');
    expect((await runCli(['status'], env, { cwd: repo })).code).toBe(1);
    const done = await runCli(['repair'], env, { cwd: repo });
    expect(done.code, done.stdout).toBe(0);
    expect(done.stdout).toContain('Recorded 1 checksum.');
    expect((await runCli(['status'], env, { cwd: repo })).code).toBe(0);
    expect(await db.schema()).toBe(schema);
  });

  it('says when nothing ran, gives times with their zone, and never says "Nothing to apply" next to an error', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    expect((await runCli(['migrate', '--dir', dir], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await runCli(['status', '--dir', dir], { DATABASE_URL: db.url })).stdout).toMatch(
      /✓ 1 users +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    await writeFile(join(dir, '001_users.sql'), USERS.replace('serial', 'bigserial'));
    const plan = await runCli(['plan', '--dir', dir], { DATABASE_URL: db.url });
    expect(plan.stdout).toContain('migrate would refuse to run');
    expect(plan.stdout).not.toContain('Nothing to apply');
    const refused = await runCli(['migrate', '--dir', dir], { DATABASE_URL: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Nothing was run on');
    expect(refused.stderr).not.toContain('Applied 0 migrations');
  });

  it('repair records a file whose only change is the DOWN part added after it was applied, which rollback then runs', async () => {
    const db = await database();
    const repo = await gitRepo();
    const noDown = '-- UP\nCREATE TABLE notes (id int);\n';
    await commit(repo, { 'migrations/001_notes.sql': noDown });
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate'], env, { cwd: repo })).code).toBe(0);
    const refused = await runCli(['rollback'], env, { cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('pgshift repair');
    await writeFile(join(repo, 'migrations/001_notes.sql'), `${noDown}-- DOWN\nDROP TABLE notes;\n`);
    const done = await runCli(['repair', '--json'], env, { cwd: repo });
    expect(done.code, done.stdout).toBe(0);
    expect(JSON.parse(done.stdout).repaired).toMatchObject([{ version: 1, reason: 'down' }]);
    const back = await runCli(['rollback'], env, { cwd: repo });
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(await db.query("SELECT to_regclass('notes') AS t")).toEqual([{ t: null }]);
  });

  it('repair records checksums for rows pycopg wrote without them', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    await db.query(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())',
    );
    await db.query(`ALTER TABLE schema_migrations ADD COLUMN checksum text, ADD COLUMN duration_ms int`);
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (1, 'users')`);
    const run = await runCli(['repair', '--dir', dir, '--json'], { DATABASE_URL: db.url });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout).repaired).toMatchObject([{ version: 1, reason: 'no-checksum' }]);
    const [row] = await db.query<{ checksum: string | null }>('SELECT checksum FROM schema_migrations');
    expect(row?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
