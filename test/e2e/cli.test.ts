import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';

const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n';
const BROKEN = '-- UP\nCREATE TABLE broken (id int);\nINSERT INTO nowhere VALUES (1);\n';
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));

let db: TestDatabase;
beforeAll(async () => {
  db = await createDatabase();
});
afterAll(async () => db.drop());

/** A fresh database per test, reached through DATABASE_URL as a user would set it. */
async function fresh() {
  const own = await createDatabase();
  return { url: own.url, env: { DATABASE_URL: own.url }, own };
}

describe('the built CLI', () => {
  it('prints its version and help, exit 0', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--dir',
      '--database-url',
      '--table',
      '--target',
      '--steps',
      '--strict-order',
      '--lock-wait',
      '--lock-timeout',
      '--statement-timeout',
      '--json',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('exits 2 with a one-line reason and no stack trace on bad usage', async () => {
    const run = await runCli(['migrate', '--steps', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--steps must be a whole number ≥ 1, got "0"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('exits 2 and touches nothing when a file name is bad or a version is taken twice', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '001_again.sql': USERS, 'create_orders.sql': ORDERS });
    const run = await runCli(['migrate', '--dir', dir], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('version 1 is used by both 001_again.sql and 001_users.sql');
    expect(run.stderr).toContain(`${join(dir, 'create_orders.sql')}: "create_orders.sql" is not a migration file name`);
    expect(await own.schema()).toBe('\ntracking rows: none');
    await own.drop();
  });

  it('reports a refused connection cleanly while many files are still being read, and bad files before it', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 600; i++) files[`${String(i).padStart(4, '0')}_m${i}.sql`] = `CREATE TABLE m${i} ();`;
    const dir = await migrationsDir(files);
    const refused = await runCli(['status', '--dir', dir, '--database-url', 'postgres://postgres@127.0.0.1:1/x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot connect to 127.0.0.1:1/x: connection refused');
    const bad = await migrationsDir({ ...files, 'oops.sql': 'SELECT 1;' });
    const both = await runCli(['status', '--dir', bad, '--database-url', 'postgres://postgres@127.0.0.1:1/x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('"oops.sql" is not a migration file name');
  });

  it('status --json gives counts, applied rows and pending migrations', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    await runCli(['migrate', '--dir', dir, '--target', '1'], env);
    const run = await runCli(['status', '--dir', dir, '--json'], env);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ applied_count: 1, pending_count: 1, table: 'schema_migrations', current_version: 1 });
    expect(status.applied[0]).toMatchObject({ version: 1, name: 'users', file_state: 'ok' });
    expect(typeof status.applied[0].applied_at).toBe('string');
    expect(status.pending[0]).toMatchObject({ version: 2, name: 'orders' });
    await own.drop();
  });

  it('migrate prints a line per migration and a summary; --json gives applied with versions and names', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const human = await runCli(['migrate', '--dir', dir, '--target', '1'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/✓ .*001_users\.sql {2}applied in \d+ ms/);
    expect(human.stdout).toMatch(/Applied 1 migration on .* in \d+ ms\./);
    expect(human.stdout).not.toContain('\x1b[');
    const json = await runCli(['migrate', '--dir', dir, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      applied: [{ version: 2, name: 'orders', status: 'success' }],
      not_executed: [],
    });
    const noop = await runCli(['migrate', '--dir', dir], env);
    expect(noop.stdout).toContain('Nothing to apply');
    await own.drop();
  });

  it('a failing migration exits 1; the JSON lists what was applied and the error with file, line and column', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_broken.sql': BROKEN, '003_orders.sql': ORDERS });
    const run = await runCli(['migrate', '--dir', dir, '--json'], env);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.applied.map((a: { version: number }) => a.version)).toEqual([1]);
    expect(doc.not_executed.map((a: { version: number }) => a.version)).toEqual([3]);
    expect(doc.error).toMatchObject({
      code: 'MIGRATION_FAILED',
      file: join(dir, '002_broken.sql'),
      line: 3,
      column: 13,
      sqlstate: '42P01',
    });
    const human = await runCli(['migrate', '--dir', dir], env);
    expect(human.stderr).toContain(`${join(dir, '002_broken.sql')}:3:13: relation "nowhere" does not exist (42P01)`);
    expect(human.stderr).not.toMatch(/\n\s+at /);
    await own.drop();
  });

  it('rollback --json gives rolled_back; plan --json gives the SQL; create --json gives path, version and name', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const plan = JSON.parse((await runCli(['plan', '--dir', dir, '--json'], env)).stdout);
    expect(plan.pending.map((p: { version: number; sql: string }) => [p.version, p.sql.startsWith('CREATE TABLE')])).toEqual([
      [1, true],
      [2, true],
    ]);
    await runCli(['migrate', '--dir', dir], env);
    const rollback = await runCli(['rollback', '--dir', dir, '--steps', '2', '--json'], env);
    expect(rollback.code).toBe(0);
    expect(JSON.parse(rollback.stdout).rolled_back.map((r: { version: number }) => r.version)).toEqual([2, 1]);
    const created = await runCli(['create', 'add things', '--dir', dir, '--json']);
    expect(JSON.parse(created.stdout)).toEqual({ path: join(dir, '003_add_things.sql'), version: 3, name: 'add_things' });
    await own.drop();
  });

  it('validate checks files without a database and exits 1 when something is wrong', async () => {
    const good = await migrationsDir({ '001_users.sql': USERS });
    const ok = await runCli(['validate', '--dir', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('files only');
    const bad = await migrationsDir({ '001_users.sql': '-- UP\nCOMMIT;\n', '002_x.sql': '-- DOWN\nDROP TABLE x;' });
    const run = await runCli(['validate', '--dir', bad, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.problems.map((p: { file: string; line: number }) => [p.file, p.line])).toEqual([
      [join(bad, '001_users.sql'), 2],
      [join(bad, '002_x.sql'), 1],
    ]);
  });

  it('never prints the password, even in connection errors and failing migrations', async () => {
    const password = 'p@ss:w/rd%41?#&=secret';
    const url = new URL(db.url);
    url.password = encodeURIComponent(password);
    const dir = await migrationsDir({ '001_broken.sql': BROKEN });
    const forms = [password, encodeURIComponent(password), 'p@ss:w/rdA?#&=secret'];
    const runs = [
      await runCli(['migrate', '--dir', dir, '--database-url', url.toString()]),
      await runCli(['migrate', '--dir', dir, '--json'], { DATABASE_URL: url.toString() }),
      await runCli(['status', '--dir', dir, '--database-url', url.toString().replace(/@[^/]+/, '@127.0.0.1:1')]),
      await runCli(['status', '--dir', dir, '--json', '--database-url', url.toString().replace(/\/[^/]*$/, '/no_such_db')]),
    ];
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1, 1]);
    for (const run of runs) for (const form of forms) expect(run.stdout + run.stderr).not.toContain(form);
    expect(runs[2]!.stderr).toContain('cannot connect to 127.0.0.1:1/');
  });

  it('runs under Deno with no node_modules of its own', async () => {
    const { env, own } = await fresh();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const deno = [DENO, 'run', '-A'];
    const run = await runCli(['migrate', '--dir', dir, '--json'], { ...env, DENO_NO_UPDATE_CHECK: '1' }, { runtime: deno });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).applied).toHaveLength(2);
    const back = await runCli(['rollback', '--dir', dir], { ...env, DENO_NO_UPDATE_CHECK: '1' }, { runtime: deno });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('Rolled back 1 migration');
    await own.drop();
  });
});
