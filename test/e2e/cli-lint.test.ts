/**
 * `pgshift lint` as a user runs it: the built CLI on the example migrations
 * and on small directories, with a config file, --lint, --json, --rules; and
 * the findings of `plan` against a real database.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { migrationsDir } from '../support/files.js';
import { commit, git, gitRepo } from '../support/git.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/migrations', import.meta.url));
const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);\n-- DOWN\nDROP TABLE users;\n';
const INDEX = "-- UP\nSET lock_timeout = '2s';\nCREATE INDEX users_name_idx ON users (name);\n-- DOWN\nDROP INDEX users_name_idx;\n";

let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});

describe('pgshift lint', () => {
  it("flags the example's backfill: SET NOT NULL scanning under lock and a UNIQUE built without CONCURRENTLY, with the safe SQL", async () => {
    const run = await runCli(['lint', '--dir', EXAMPLES]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('pgshift lint  4 migrations, for PostgreSQL 14');
    expect(run.stdout).toContain(`error ${EXAMPLES}/003_backfill_user_handles.sql:11:19  set-not-null`);
    expect(run.stdout).toContain('Setting NOT NULL on users.handle blocks reads and writes while every row is checked');
    expect(run.stdout).toContain('ALTER TABLE users ADD CONSTRAINT users_handle_not_null_check CHECK (handle IS NOT NULL) NOT VALID;');
    expect(run.stdout).toContain(`error ${EXAMPLES}/003_backfill_user_handles.sql:12:19  add-unique-constraint`);
    expect(run.stdout).toContain('CREATE UNIQUE INDEX CONCURRENTLY users_handle_key ON users (handle);');
    // The CONCURRENTLY migration is fine, and the tables created in 001 and 002 were new then.
    expect(run.stdout).not.toContain('004_index_orders_by_user.sql');
    expect(run.stdout).toMatch(/✗ 2 errors, \d+ warnings, 0 accepted/);
  });

  it('--json: one document with every finding, rule, family, fix and statement lines; exit 0 when only warnings', async () => {
    const dir = await migrationsDir({
      '001_users.sql': USERS,
      '002_drop.sql': "-- UP\nSET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN name;\n",
    });
    const run = await runCli(['lint', '--dir', dir, '--json', '002_drop.sql']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ ok: true, postgres_version: 14, files: [join(dir, '002_drop.sql')], problems: [] });
    expect(doc.findings).toEqual([
      expect.objectContaining({
        code: 'LINT',
        severity: 'warning',
        file: join(dir, '002_drop.sql'),
        line: 3,
        lint: { rule: 'drop-column', family: 'destructive', relation: 'users', statement_lines: [3, 3] },
      }),
    ]);
    // --lint error: warnings fail too; --lint off: nothing is linted.
    expect((await runCli(['lint', '--dir', dir, '--lint', 'error', '002_drop.sql'])).code).toBe(1);
    const off = await runCli(['lint', '--dir', dir, '--lint', 'off', '--json']);
    expect(JSON.parse(off.stdout).findings).toEqual([]);
  });

  it('reads per-rule levels from pgshift.json (or --config), and reports a bad config file clearly', async () => {
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_index.sql': INDEX });
    const cwd = join(dir, '..');
    await writeFile(join(cwd, 'pgshift.json'), JSON.stringify({ lint: { rules: { 'create-index': 'warning' } } }));
    const relaxed = await runCli(['lint', '--dir', dir, '002_index.sql'], {}, { cwd });
    expect(relaxed.code, relaxed.stdout).toBe(0);
    expect(relaxed.stdout).toContain('warning');
    await writeFile(join(cwd, 'strict.json'), JSON.stringify({ lint: { rules: { 'create-indx': 'off' }, mode: 'loud' } }));
    const bad = await runCli(['lint', '--dir', dir, '--config', 'strict.json'], {}, { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('strict.json: lint mode must be error, warn or off, got "loud"');
    expect(bad.stderr).toContain('strict.json: no lint rule is named "create-indx"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['lint', '--dir', dir, '--config', 'nope.json'], {}, { cwd });
    expect(missing.stderr).toContain('cannot read the config file nope.json');
  });

  it('--base lints the migrations the branch adds, as one deploy: a table created earlier in the branch is empty', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'migrations/001_users.sql': USERS });
    git(repo, 'checkout', '-q', '-b', 'feature');
    await writeFile(join(repo, 'migrations', '002_items.sql'), '-- UP\nCREATE TABLE items (id int PRIMARY KEY, sku text);\n');
    await writeFile(
      join(repo, 'migrations', '003_items_sku.sql'),
      "-- UP\nSET lock_timeout = '2s';\nCREATE INDEX items_sku_idx ON items (sku);\nCREATE INDEX users_email_idx ON users (email);\n",
    );
    const run = await runCli(['lint', '--base', 'main', '--json'], {}, { cwd: repo });
    const doc = JSON.parse(run.stdout);
    expect(doc.files).toEqual(['migrations/002_items.sql', 'migrations/003_items_sku.sql']);
    expect(doc.findings.map((f: { line: number; lint: { rule: string } }) => [f.line, f.lint.rule])).toEqual([[4, 'create-index']]);
    expect(doc.cleared).toEqual([
      {
        file: 'migrations/003_items_sku.sql',
        line: 3,
        end_line: 3,
        rule: 'create-index',
        reason: 'the table is new in this deploy: nobody uses it yet',
      },
    ]);
  });

  it('--rules lists every rule with its family and level; bad usage is exit 2', async () => {
    const run = await runCli(['lint', '--rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^create-index\s+error\s+index-not-concurrent\s+CREATE INDEX without CONCURRENTLY$/m);
    expect(run.stdout).toMatch(/^lock-timeout\s+warning\s+no-lock-timeout/m);
    const bad = await runCli(['lint', '--lint', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lint must be error, warn or off, got "loud"');
    expect((await runCli(['migrate', '--rules'])).stderr).toContain('--rules is only for lint');
  });

  it("plan shows the findings on the pending migrations, for the server's major, without changing its exit code", async () => {
    const db = await createDatabase();
    databases.push(db);
    const dir = await migrationsDir({ '001_users.sql': USERS, '002_index.sql': INDEX });
    expect((await runCli(['migrate', '--dir', dir, '--target', '1'], { DATABASE_URL: db.url })).code).toBe(0);
    const run = await runCli(['plan', '--dir', dir, '--json'], { DATABASE_URL: db.url });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings).toMatchObject([{ code: 'LINT', severity: 'error', line: 3, lint: { rule: 'create-index' } }]);
    const text = await runCli(['plan', '--dir', dir], { DATABASE_URL: db.url });
    expect(text.stdout).toContain('Lint (1 error, 0 warnings, 0 accepted):');
    expect(text.stdout).toContain('CREATE INDEX CONCURRENTLY users_name_idx ON users (name);');
  });
});
