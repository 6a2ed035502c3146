/**
 * The built CLI with PostgreSQL's own parser: a statement PostgreSQL cannot
 * parse fails validate, lint and plan at its file:line:column with
 * PostgreSQL's message, with no database for validate and lint; `lint FILE`
 * takes a file anywhere; and only the commands that check SQL load the
 * parser (a bundle without its .wasm still runs --version and status).
 */
import { execFile } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, name text);\n-- DOWN\nDROP TABLE users;\n';
const TYPO = "-- UP\nSET lock_timeout = '2s';\nCREAT INDEX users_name_idx ON users (name);\n-- DOWN\nDROP INDEX users_name_idx;\n";
const MESSAGE = 'syntax error at or near "CREAT"';

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = await migrationsDir({ '001_users.sql': USERS, '002_index.sql': TYPO });
  db = await createDatabase();
});
afterAll(async () => db.drop());

describe('a statement PostgreSQL cannot parse', () => {
  it('regression: validate passed CREAT INDEX with a ✓; now it fails offline at file:line:col with PostgreSQL’s message', async () => {
    const run = await runCli(['validate', '--dir', dir]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`${join(dir, '002_index.sql')}:3:1: ${MESSAGE}`);
    expect(run.stdout).toContain("PostgreSQL 18's own parser refuses it");
    expect(run.stdout).not.toContain('✓');
    const json = await runCli(['validate', '--dir', dir, '--json']);
    expect(json.code).not.toBe(0);
    expect(JSON.parse(json.stdout).problems).toEqual([
      expect.objectContaining({
        code: 'SYNTAX_ERROR',
        severity: 'error',
        file: join(dir, '002_index.sql'),
        line: 3,
        column: 1,
        message: MESSAGE,
      }),
    ]);
  });

  it('fails lint, of the directory and of the file, with no database', async () => {
    for (const args of [
      ['lint', '--dir', dir],
      ['lint', '--dir', dir, '002_index.sql'],
    ]) {
      const run = await runCli(args);
      // Bad input found before any database is touched, as an unterminated string is.
      expect(run.code, run.stdout).toBe(2);
      expect(run.stdout).toContain(`${join(dir, '002_index.sql')}:3:1: ${MESSAGE}`);
    }
  });

  it('fails plan, which names it among the problems that would stop migrate', async () => {
    const run = await runCli(['plan', '--dir', dir], { DATABASE_URL: db.url });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain(`${join(dir, '002_index.sql')}:3:1: ${MESSAGE}`);
    // Nothing was applied on the way.
    expect(await db.query("SELECT to_regclass('users') AS t")).toEqual([{ t: null }]);
  });

  it('fails in the DOWN part too', async () => {
    const down = await migrationsDir({ '001_users.sql': '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABEL users;\n' });
    const run = await runCli(['validate', '--dir', down]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`${join(down, '001_users.sql')}:4:6: syntax error at or near "TABEL"`);
  });
});

describe('lint FILE', () => {
  it('lints a file outside --dir on the schema of the directory’s migrations, and with no migrations directory at all', async () => {
    const ok = await migrationsDir({ '001_users.sql': USERS });
    const elsewhere = await migrationsDir({ 'add_index.sql': "SET lock_timeout = '2s';\nCREATE INDEX users_name_idx ON users (name);\n" });
    const file = join(elsewhere, 'add_index.sql');
    const run = await runCli(['lint', '--dir', ok, file, '--json']);
    expect(run.code, run.stdout).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.files).toEqual([file]);
    expect(doc.findings).toMatchObject([{ file, line: 2, lint: { rule: 'create-index' } }]);
    // From a directory with no migrations/: the file alone (users unknown, so the index is on a table of unknown size).
    const alone = await runCli(['lint', 'add_index.sql'], {}, { cwd: elsewhere });
    expect(alone.stderr).toBe('');
    expect(alone.stdout).toContain('1 migration');
  });
});

describe('loading the parser', () => {
  it('happens only for the commands that check SQL: a bundle without its .wasm runs --version and status, and says what is missing', async () => {
    const copy = join(dirname(dir), 'bundle');
    await cp(dirname(CLI), copy, { recursive: true });
    await rm(join(copy, 'libpg-query.wasm'));
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { PATH: process.env.PATH ?? '', DATABASE_URL: db.url };
        execFile(process.execPath, [join(copy, 'index.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    expect((await run(['--version'])).code).toBe(0);
    const status = await run(['status', '--dir', dir]);
    expect(status.code, status.stderr).toBe(0);
    const validate = await run(['validate', '--dir', dir]);
    expect(validate.code).not.toBe(0);
    expect(validate.stderr).toContain(`PostgreSQL's parser is missing: ${join(copy, 'libpg-query.wasm')} does not exist`);
  });

  it('works under Deno with no node_modules, and says in one line when --allow-read does not reach the parser', async () => {
    const deno = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
    const env = { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const full = await runCli(['validate', '--dir', dir], env, { runtime: [deno, 'run', '--no-prompt', '--allow-read', '--allow-env'] });
    expect(full.code).not.toBe(0);
    expect(full.stdout).toContain(`${join(dir, '002_index.sql')}:3:1: ${MESSAGE}`);
    const narrow = await runCli(['validate', '--dir', dir], env, {
      runtime: [deno, 'run', '--no-prompt', `--allow-read=${dir}`, '--allow-env'],
    });
    expect(narrow.code).not.toBe(0);
    expect(narrow.stderr.trimEnd().split('\n')).toEqual([
      // libpg-query.wasm beside the bundle (or a file read before it, such as the config file)
      expect.stringMatching(/^error: Deno refused read access to .*--allow-read/),
    ]);
  });
});
