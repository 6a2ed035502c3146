/**
 * `pgshift verify` as a user runs it: the built CLI in a git checkout, the
 * base read from git, a private scratch PostgreSQL started the default way
 * (no DATABASE_URL; the embedded binaries only on a machine without any).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from '../support/cli.js';
import { adminUrl } from '../support/db.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin } from '../support/scratch-support.js';
import { findPostgres } from '../../src/scratch/index.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS =
  '-- UP\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX orders_user_idx ON orders (user_id);\n-- DOWN\nDROP TABLE orders;\n';

/** `--postgres-bin` only where the machine has no PostgreSQL of its own: elsewhere the default search is what is tested. */
let binFlag: string[] = [];
beforeAll(async () => {
  binFlag = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => [],
    async () => ['--postgres-bin', await embeddedBin()],
  );
});

/** A repository whose main has the base's migrations, on a branch that adds `head`'s. */
async function branch(base: Record<string, string>, head: Record<string, string | null>): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'README.md': 'x', ...Object.fromEntries(Object.entries(base).map(([f, sql]) => [`migrations/${f}`, sql])) });
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (const [file, sql] of Object.entries(head)) {
    if (sql === null) await rm(join(repo, 'migrations', file));
    else await writeFile(join(repo, 'migrations', file), sql);
  }
  return repo;
}

const verify = (repo: string, ...args: string[]): Promise<Run> =>
  runCli(['verify', '--base', 'main', ...binFlag, ...args], {}, { cwd: repo });
const json = (run: Run) =>
  JSON.parse(run.stdout) as {
    ok: boolean;
    migrations: { file: string; up: string; down: string; reup: string }[];
    problems: { code: string; severity: string; message: string; file?: string; line?: number; column?: number; sqlstate?: string }[];
    schema_diff: string[];
    server: { version: string; kind: string };
  };

describe('pgshift verify', () => {
  it('proves new migrations: they apply on the base, roll back exactly and apply again, with the schema diff', async () => {
    const repo = await branch({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await verify(repo);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("✓ 1 new migration applies on main's schema, rolls back exactly and applies again");
    expect(run.stdout).toContain('✓ migrations/002_orders.sql  UP');
    expect(run.stdout).toContain('DOWN restores · UP again matches');
    expect(run.stdout).toMatch(/on PostgreSQL \d+\.\d+ \(a private scratch server\)/);
    expect(run.stdout).toContain('Schema changes from main:');
    expect(run.stdout).toContain('added table public.orders');
    expect(git(repo, 'status', '--porcelain')).toBe('?? migrations/002_orders.sql');
  });

  it('without --base or an origin, checks against the merge base with the local main, and names it so', async () => {
    const repo = await branch({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    await commit(repo, {}, 'the branch');
    const main = git(repo, 'rev-parse', 'main');
    const run = await runCli(['verify', ...binFlag], {}, { cwd: repo });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`1 new migration against the merge base with main (${main.slice(0, 12)})`);
  });

  it('fails a broken statement at its file, line and column, with the server message and SQLSTATE', async () => {
    const repo = await branch(
      { '001_users.sql': USERS },
      { '002_typo.sql': '-- UP\nCREATE TABLE t (id int);\nCREAT INDEX t_idx ON t (id);\n' },
    );
    const run = await verify(repo, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const doc = json(run);
    expect(doc.ok).toBe(false);
    expect(doc.migrations).toMatchObject([{ file: 'migrations/002_typo.sql', up: 'failed' }]);
    expect(doc.problems).toMatchObject([
      { code: 'MIGRATION_FAILED', file: 'migrations/002_typo.sql', line: 3, column: 1, sqlstate: '42601' },
    ]);
  });

  it('fails a DOWN that leaves something behind, one that drops too much, and one that restores an index differently, saying what', async () => {
    const repo = await branch(
      { '001_users.sql': USERS, '002_orders.sql': ORDERS },
      {
        '003_behind.sql':
          '-- UP\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_email_idx ON users (email);\n-- DOWN\nALTER TABLE users DROP COLUMN nickname;\n',
        '004_too_much.sql': '-- UP\nCREATE TABLE notes (id int);\n-- DOWN\nDROP TABLE notes;\nDROP INDEX orders_user_idx;\n',
        '005_other_index.sql':
          '-- UP\nDROP INDEX orders_user_idx;\nCREATE INDEX orders_user_idx ON orders (user_id, id);\n-- DOWN\nDROP INDEX orders_user_idx;\nCREATE INDEX orders_user_idx ON orders (id);\n',
      },
    );
    const run = await verify(repo, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const messages = json(run)
      .problems.filter((p) => p.code === 'DOWN_NOT_RESTORED')
      .map((p) => p.message);
    expect(messages).toContain('DOWN of 003_behind.sql left index public.users_email_idx behind');
    expect(messages).toContain('DOWN of 004_too_much.sql dropped index public.orders_user_idx, which existed before UP');
    expect(
      messages.some(
        (m) =>
          m.startsWith('DOWN of 005_other_index.sql') && m.includes('index public.orders_user_idx is back with a different definition'),
      ),
    ).toBe(true);
    expect(json(run).migrations.map((m) => [m.file, m.down])).toEqual([
      ['migrations/003_behind.sql', 'differs'],
      ['migrations/004_too_much.sql', 'differs'],
      ['migrations/005_other_index.sql', 'differs'],
    ]);
  });

  it('reports base migrations edited, deleted and renumbered by the branch together, each on its file', async () => {
    const repo = await branch(
      { '001_users.sql': USERS, '002_orders.sql': ORDERS, '003_x.sql': '-- UP\nCREATE TABLE x (id int);\n' },
      {
        '001_users.sql': USERS.replace('email', 'mail'),
        '002_orders.sql': null,
        '003_x.sql': null,
        '004_x.sql': '-- UP\nCREATE TABLE x (id int);\n',
      },
    );
    const run = await verify(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error: migrations/001_users.sql is changed by this branch, but it is already on main and may be applied');
    expect(run.stdout).toContain('migrations/002_orders.sql is deleted by this branch');
    expect(run.stdout).toContain('migrations/004_x.sql is 003_x.sql of main renumbered');
    expect(run.stdout).toContain('hint: restore it as it is on main and put the change in a new migration');
  });

  it('takes a base without the migrations directory as nothing applied', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'README.md': 'x' });
    git(repo, 'checkout', '-q', '-b', 'feature');
    await commit(repo, { 'migrations/001_users.sql': USERS });
    const run = await verify(repo, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run).migrations).toMatchObject([{ file: 'migrations/001_users.sql', up: 'ok', down: 'ok', reup: 'ok' }]);
  });

  it('says how to give a base when the checkout has none', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'migrations/001_users.sql': USERS });
    const run = await runCli(['verify', ...binFlag], {}, { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no base to compare with');
    expect(run.stderr).toContain('hint: give --base, e.g. origin/main');
  });

  it('runs on a server given with --scratch-url, in a database of its own that it drops', async () => {
    const repo = await branch({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await verify(repo, '--scratch-url', adminUrl(), '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run).server.kind).toBe('given');
  });

  it('names the ways out when no PostgreSQL can be started', async () => {
    const repo = await branch({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await runCli(['verify', '--base', 'main', '--postgres-bin', join(repo, 'no-such-dir')], {}, { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain('--postgres-bin');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('pgshift verify: the lint, with what the scratch run saw', () => {
  it('shows on each finding the locks the statement took and the tables it rewrote, and reports a rewrite no rule predicted', async () => {
    const up = [
      '-- UP',
      "SET lock_timeout = '2s';",
      'ALTER TABLE users ALTER COLUMN email TYPE varchar(200);',
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      "DO $$ DECLARE change text := 'ALTER TABLE users ALTER COLUMN id TYPE numeric'; BEGIN EXECUTE change; END $$;",
      '-- pgshift:safe drop-column the column was never read',
      'ALTER TABLE users DROP COLUMN token;',
      '-- DOWN',
      'ALTER TABLE users ALTER COLUMN id TYPE bigint;',
      'ALTER TABLE users ALTER COLUMN email TYPE text;',
    ].join('\n');
    const repo = await branch({ '001_users.sql': USERS }, { '002_change.sql': `${up}\n` });
    const run = await verify(repo, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as { findings: { line: number; severity: string; lint: Record<string, unknown> }[] };
    const byLine = Object.fromEntries(doc.findings.map((f) => [`${f.line} ${String(f.lint.rule)}`, f]));
    // text to varchar(200) checks every row under ACCESS EXCLUSIVE, and may cut what running code writes.
    expect(byLine['3 narrow-column-type']?.lint.observed).toMatch(/^took ACCESS EXCLUSIVE on public\.users/);
    expect(byLine['4 volatile-default']?.lint.observed).toBe('rewrote public.users, holding ACCESS EXCLUSIVE');
    // The DO block runs SQL held in a variable: not analysed, and what it did is seen all the same.
    expect(byLine['5 not-analysed']).toMatchObject({
      severity: 'warning',
      lint: { observed: 'rewrote public.users, holding ACCESS EXCLUSIVE' },
    });
    expect(byLine['5 observed-rewrite']).toMatchObject({ severity: 'error', lint: { family: 'rewrite', relation: 'public.users' } });
    expect(byLine['7 drop-column']).toMatchObject({
      severity: 'warning',
      lint: { acknowledged: true, reason: 'the column was never read' },
    });
  });
});

describe('pgshift verify --rehearse-rows', () => {
  it('measures each statement on seeded rows: the index build is a finding with what was measured, the nullable column none', async () => {
    const up =
      "-- UP\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_email_idx ON users (email);\n";
    const repo = await branch({ '001_users.sql': USERS }, { '002_change.sql': up });
    const text = await verify(repo, '--rehearse-rows', '2000');
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).toContain('Rehearsal on 2,000 seeded rows per table (and 10):');
    expect(text.stdout).toMatch(
      /✓ migrations\/002_change\.sql:3 {2}took ACCESS EXCLUSIVE on public\.users for [\d.]+ m?s; read 0 and wrote 0 of 2,000 rows/,
    );
    // The ADD COLUMN's ACCESS EXCLUSIVE is held to the end of the migration's transaction: the index is built under it.
    expect(text.stdout).toMatch(
      /✗ migrations\/002_change\.sql:4 {2}held ACCESS EXCLUSIVE on public\.users for [\d.]+ m?s while building index public\.users_email_idx over 2,000 rows/,
    );
    expect(text.stdout).toMatch(/measured: held ACCESS EXCLUSIVE on public\.users .*writes waited [\d.]+ m?s; grows with the table/);
    expect(text.stdout).toContain('migrations/002_change.sql:2  touched no seeded table');
    const run = await verify(repo, '--rehearse-rows', '2000', '--json');
    const doc = JSON.parse(run.stdout) as {
      findings: { line: number; lint: { rule: string; measured?: string } }[];
      rehearsal: {
        rows: number;
        migrations: { seeded: string[]; statements: { line: number; hazard?: string; tables: { lock?: string; rows_read: number }[] }[] }[];
      };
    };
    expect(doc.findings.filter((f) => f.lint.measured !== undefined).map((f) => [f.line, f.lint.rule])).toEqual([[4, 'create-index']]);
    expect(doc.rehearsal).toMatchObject({ rows: 2000, migrations: [{ seeded: ['public.users'] }] });
    const [, add, index] = doc.rehearsal.migrations[0]!.statements;
    expect(add).toMatchObject({ line: 3, tables: [{ lock: 'ACCESS EXCLUSIVE', rows_read: 0 }] });
    expect(add?.hazard).toBeUndefined();
    expect(index).toMatchObject({
      line: 4,
      hazard: expect.stringContaining('grows with the table'),
      tables: [{ lock: 'ACCESS EXCLUSIVE', rows_read: 2000 }],
    });
  });

  it('refuses a row count that is not a whole number, naming the flag', async () => {
    const repo = await branch({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await verify(repo, '--rehearse-rows', 'many');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rehearse-rows must be a whole number ≥ 0, got "many"');
  });
});
