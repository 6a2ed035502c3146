/**
 * The built CLI as a deploy gate: `status --check` says by its exit code
 * whether migrations are pending, and `wait --at-least` holds a deploy until
 * another process has applied a version, or gives up at its timeout.
 */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli, type Run } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';

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

/** Both forms of a command, human and --json, with their exit codes. */
const codes = async (args: string[], env: Record<string, string>) => {
  const human = await runCli(args, env);
  const json = await runCli([...args, '--json'], env);
  return { human, json, codes: [human.code, json.code] };
};

/**
 * The CLI started in the background: `seen(text)` resolves once its stderr
 * holds the text (a progress line), so a test acts only after the process
 * has said where it is, without timing anything.
 */
function startCli(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of watchers.filter((w) => stderr.includes(w.text))) w.resolve();
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    seen: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        watchers.push({ text, resolve });
        // Ended without saying it: the test fails with what it did say.
        void done.then((run) => reject(new Error(`the process ended (${run.code}) without "${text}":\n${run.stderr}`)));
      }),
  };
}

describe('status --check', () => {
  it('exits 3 while a migration is pending and 0 once none is, in text and in JSON', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const env = { DATABASE_URL: db.url };

    const before = await codes(['status', '--check', '--dir', dir], env);
    expect(before.codes, before.human.stderr).toEqual([3, 3]);
    expect(before.human.stdout).toContain('Pending: 2');
    expect(JSON.parse(before.json.stdout)).toMatchObject({ pending_count: 2, table_exists: false });

    expect((await runCli(['migrate', '--dir', dir, '--target', '1'], env)).code).toBe(0);
    expect((await codes(['status', '--check', '--dir', dir], env)).codes).toEqual([3, 3]);

    expect((await runCli(['migrate', '--dir', dir], env)).code).toBe(0);
    const after = await codes(['status', '--check', '--dir', dir], env);
    expect(after.codes, after.human.stderr).toEqual([0, 0]);
    expect(JSON.parse(after.json.stdout)).toMatchObject({ pending_count: 0, current_version: 2 });
  });

  it('without --check, pending migrations still exit 0, as status always has', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    expect((await codes(['status', '--dir', dir], { DATABASE_URL: db.url })).codes).toEqual([0, 0]);
  });

  it('exits 1 when an applied file changed or is gone, even with another pending, and when the server cannot be reached', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate', '--dir', dir], env)).code).toBe(0);
    await writeFile(join(dir, '002_orders.sql'), ORDERS);

    await writeFile(join(dir, '001_users.sql'), USERS.replace('serial', 'bigserial'));
    const changed = await codes(['status', '--check', '--dir', dir], env);
    expect(changed.codes).toEqual([1, 1]);
    expect(changed.human.stdout).toContain('(file changed)');

    await rm(join(dir, '001_users.sql'));
    const missing = await codes(['status', '--check', '--dir', dir], env);
    expect(missing.codes).toEqual([1, 1]);
    expect(JSON.parse(missing.json.stdout).problems.map((p: { code: string }) => p.code)).toContain('MISSING_FILE');

    const away = await codes(['status', '--check', '--dir', dir], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(away.codes).toEqual([1, 1]);
    expect(away.human.stderr).toContain('cannot connect to 127.0.0.1:1/none');
  });

  it('exits 2 on bad usage and on a file pgshift cannot take', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    const env = { DATABASE_URL: db.url };
    const misplaced = await runCli(['migrate', '--check', '--dir', dir], env);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--check is only for status');
    expect((await codes(['status', '--check=yes', '--dir', dir], env)).codes).toEqual([2, 2]);
    await writeFile(join(dir, 'users_2.sql'), USERS);
    expect((await codes(['status', '--check', '--dir', dir], env)).codes).toEqual([2, 2]);
    expect((await db.query(`SELECT to_regclass('users') AS t`))[0]).toEqual({ t: null });
  });
});

describe('wait --at-least', () => {
  it('has its own help, and both gates are in the overview with exit code 3', async () => {
    const own = await runCli(['wait', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^Usage: pgshift wait --at-least <version>/);
    expect(own.stdout).toContain('3 the timeout passed first');
    expect((await runCli(['help', 'status'])).stdout).toContain('--check');
    const overview = (await runCli(['--help'])).stdout;
    for (const text of ['wait --at-least <v>', '--check', '--timeout <duration>', '--interval <duration>', '3 status --check'])
      expect(overview).toContain(text);
  });

  it('waits, from before the tracking table exists, until another process applies the version, then exits 0', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const env = { DATABASE_URL: db.url };
    const waiting = startCli(['wait', '--at-least', '2', '--interval', '100ms', '--timeout', '45s'], env);
    // It has looked once and found nothing: only then does the other process migrate.
    await waiting.seen('waiting for version 2: the tracking table does not exist yet');
    const migrate = await runCli(['migrate', '--dir', dir], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    const run = await waiting.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ .*is at version 2 \(at least 2 asked\)/);
  });

  it('is reached by a later version too, at once, and says so in JSON', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_orders.sql': ORDERS });
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate', '--dir', dir], env)).code).toBe(0);
    const run = await runCli(['wait', '--at-least', '1', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      reached: true,
      outcome: 'reached',
      at_least: 1,
      current_version: 2,
      table_exists: true,
    });
  });

  it('exits 3 at its timeout, saying where the database is', async () => {
    const db = await database();
    const dir = await migrationsDir({ '001_users.sql': USERS });
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['migrate', '--dir', dir], env)).code).toBe(0);
    const human = await runCli(['wait', '--at-least', '2', '--timeout', '300ms', '--interval', '100ms'], env);
    expect(human.code, human.stderr).toBe(3);
    expect(human.stderr).toContain('waiting for version 2: the database is at version 1');
    expect(human.stderr).toMatch(/✗ .* has not reached version 2 after .*: it is at version 1\./);
    const json = await runCli(['wait', '--at-least', '2', '--timeout', '0', '--json'], env);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ reached: false, outcome: 'timeout', current_version: 1, polls: 1 });
  });

  it('exits 2 on bad usage, naming the flag, before connecting', async () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    const cases: [string[], string][] = [
      [['wait'], 'wait needs --at-least <version>'],
      [['wait', '--at-least', 'v2'], '--at-least must be a whole number ≥ 0, got "v2"'],
      [['wait', '--at-least', '2', '--timeout', 'soon'], '--timeout must be a duration'],
      [['wait', '--at-least', '2', '--interval', '0'], '--interval must be longer than 0'],
      [['status', '--at-least', '2'], '--at-least is only for wait'],
      [['migrate', '--timeout', '5s'], '--timeout is only for wait'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const json = await runCli(['wait', '--json'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('exits 2 without a database to connect to, 1 when the server cannot be reached', async () => {
    expect((await runCli(['wait', '--at-least', '1'], {})).code).toBe(2);
    const away = await runCli(['wait', '--at-least', '1'], { DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/none' });
    expect(away.code).toBe(1);
    expect(away.stderr).toContain('cannot connect to 127.0.0.1:1/none');
    expect(away.stderr + away.stdout).not.toContain('s3cret');
  });
});
