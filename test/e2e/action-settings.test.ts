/**
 * The settings in one place, through the built action: an input when it is
 * not empty, else PGSHIFT_<SETTING> from the workflow's env, else
 * pgshift.json, else the default, as the CLI reads its flags. On a push the
 * checkout's pgshift.json counts; on a pull request the base commit's, so
 * that the pull request cannot change how its own check runs. A real
 * PostgreSQL, a fake GitHub API, git checkouts made here.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, pushEvent, runAction, type ActionRun } from '../support/action.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { addFiles } from '../support/files.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin } from '../support/scratch-support.js';
import { findPostgres } from '../../src/scratch/index.js';

// Records the lock_timeout the migration ran with.
const SEEN = "-- UP\nCREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout;\n-- DOWN\nDROP TABLE seen;\n";
const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const OTHER = '-- UP\nCREATE TABLE other (id int);\n-- DOWN\nDROP TABLE other;\n';
// An index on a table the base made, without CONCURRENTLY: the lint's create-index error.
const INDEX = '-- UP\nCREATE INDEX users_email_idx ON users (email);\n-- DOWN\nDROP INDEX users_email_idx;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 17;

let github: FakeGitHub;
let databases: TestDatabase[] = [];
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
  await Promise.all(databases.map((d) => d.drop()));
  databases = [];
});
const database = async () => {
  const db = await createDatabase();
  databases.push(db);
  return db;
};

const failures = (run: ActionRun) => run.commands.filter((c) => c.command === 'error');
const warnings = (run: ActionRun) => run.commands.filter((c) => c.command === 'warning');
const comment = () => (github.comments.get(PR) ?? []).find((c) => c.body.startsWith('<!-- pgshift:plan'))?.body ?? '';
const tables = async (db: TestDatabase) =>
  (
    await db.query<{ t: string }>(
      `SELECT relname AS t FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`,
    )
  ).map((r) => r.t);

/** A checkout holding `files` (path → content), not a git one: a push's merged code. */
async function workspaceWith(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pgshift-action-settings-'));
  await addFiles(root, files);
  return root;
}

function push(workspace: string, db: TestDatabase, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction({
    workspace,
    event: pushEvent('main'),
    inputs: { connection: db.url, 'github-token': TOKEN, ...inputs },
    env: { GITHUB_API_URL: github.url, ...env },
  });
}

describe('on a push: the checkout’s pgshift.json, under PGSHIFT_* and the inputs', () => {
  it('migrates the directory pgshift.json names into its table, with its lock timeout, with no dir or table input', async () => {
    const db = await database();
    const workspace = await workspaceWith({
      'pgshift.json': JSON.stringify({ dir: 'db/migrations', table: 'app_migrations', lockTimeout: '3s' }),
      'db/migrations/001_seen.sql': SEEN,
      'migrations/001_other.sql': OTHER,
    });
    const run = await push(workspace, db);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('migrations in db/migrations, table app_migrations');
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([{ version: 1, name: 'seen' }]);
    expect(await db.query('SELECT lock_timeout FROM seen')).toEqual([{ lock_timeout: '3s' }]);
    expect(await db.query('SELECT version FROM app_migrations')).toEqual([{ version: '1' }]);
    expect(await tables(db)).toEqual(['app_migrations', 'seen']);
  });

  it('lets PGSHIFT_* override pgshift.json, and an input override both', async () => {
    const db = await database();
    const workspace = await workspaceWith({
      'pgshift.json': JSON.stringify({ dir: 'db/migrations', table: 'app_migrations', lockTimeout: '3s' }),
      'db/migrations/001_seen.sql': SEEN,
      'elsewhere/001_seen.sql': SEEN,
      'flagged/001_seen.sql': SEEN,
    });
    const env = { PGSHIFT_DIR: 'elsewhere', PGSHIFT_TABLE: 'env_migrations', PGSHIFT_LOCK_TIMEOUT: '2s' };
    const fromEnv = await push(workspace, db, { command: 'status' }, env);
    expect(fromEnv.code, fromEnv.stdout).toBe(0);
    expect(fromEnv.stdout).toContain('migrations in elsewhere, table env_migrations');
    expect(JSON.parse(fromEnv.outputs.status ?? '')).toMatchObject({ table: 'env_migrations', pending: [{ version: 1 }] });

    const fromInputs = await push(workspace, db, { dir: 'flagged', 'lock-timeout': '1s' }, env);
    expect(fromInputs.code, fromInputs.stdout).toBe(0);
    expect(fromInputs.stdout).toContain('migrations in flagged, table env_migrations');
    expect(await db.query('SELECT lock_timeout FROM seen')).toEqual([{ lock_timeout: '1s' }]);
    expect(await tables(db)).toEqual(['env_migrations', 'seen']);
  });

  it('refuses to migrate with a broken pgshift.json, in one line naming the file, with what to fix, and runs nothing', async () => {
    const db = await database();
    const workspace = await workspaceWith({
      'pgshift.json': JSON.stringify({ dir: 'db/migrations', lock_timeout: '3s', statementTimeout: 'forever' }),
      'db/migrations/001_seen.sql': SEEN,
    });
    const run = await push(workspace, db, {}, { PGSHIFT_LOCK_WAIT: 'soon' });
    expect(run.code).toBe(1);
    const failure = failures(run).at(-1)?.message ?? '';
    expect(failure).toMatch(/^3 problems with the settings: pgshift\.json: unknown setting "lock_timeout" \(did you mean lockTimeout\?\)/);
    expect(failure).toContain('(and 2 more)');
    expect(failure.split('\n')).toHaveLength(1);
    // Every problem, with what to do, in the log and the job summary.
    expect(run.stdout).toContain('PGSHIFT_LOCK_WAIT must be a duration');
    expect(run.stdout).toContain('hint: correct "statementTimeout" in pgshift.json');
    expect(run.summary).toContain('pgshift.json: statementTimeout must be a duration');
    expect(run.summary).toContain('correct PGSHIFT&#95;LOCK&#95;WAIT, or unset it');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await tables(db)).toEqual([]);

    await writeFile(join(workspace, 'pgshift.json'), '{ "dir": "db/migrations", ');
    const unparsable = await push(workspace, db);
    expect(unparsable.code).toBe(1);
    expect(failures(unparsable).at(-1)?.message).toMatch(/^pgshift\.json is not valid JSON: /);
    expect(unparsable.summary).toContain('hint: fix the JSON in the config file');
    expect(await tables(db)).toEqual([]);
  });

  it('names where a missing directory was set, in the action’s words', async () => {
    const db = await database();
    const workspace = await workspaceWith({ 'pgshift.json': JSON.stringify({ dir: 'db/migratoins' }), 'db/migrations/001_seen.sql': SEEN });
    const run = await push(workspace, db);
    expect(run.code).toBe(1);
    expect(failures(run).at(-1)?.message).toContain('migrations directory db/migratoins does not exist (from "dir" in pgshift.json)');
    expect(run.summary).toContain('correct "dir" in pgshift.json (PGSHIFT&#95;DIR and the dir input override it)');
  });
});

/**
 * main with `base`; a branch with `head` on top (null deletes); main moves
 * on; GitHub's merge commit of the branch into main checked out.
 */
async function mergeCheckout(base: Record<string, string>, head: Record<string, string>): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'README.md': 'x', ...base });
  git(repo, 'checkout', '-q', '-b', 'feature');
  await commit(repo, head, 'the pull request');
  git(repo, 'checkout', '-q', 'main');
  await commit(repo, { 'CHANGES.md': 'on main meanwhile' }, 'main moves on');
  git(repo, 'checkout', '-q', '--detach');
  git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
  return repo;
}

/** As on GitHub: GITHUB_SHA is the merge commit checked out, the payload's head its second parent. */
function pullRequest(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const merge = git(workspace, 'rev-parse', 'HEAD');
  const head = [...git(workspace, 'cat-file', '-p', merge).matchAll(/^parent (\S+)$/gm)][1]?.[1];
  return runAction({
    workspace,
    event: pullRequestEvent(PR, head),
    inputs: { 'github-token': TOKEN, ...inputs },
    env: { GITHUB_API_URL: github.url, RUNNER_TEMP: workspace, GITHUB_SHA: merge, ...env },
  });
}

describe('on a pull request: the base commit’s pgshift.json, whatever the pull request does to it', () => {
  let bin: Record<string, string> = {};
  beforeAll(async () => {
    // The machine's PostgreSQL when it has one, else the embedded one.
    bin = await findPostgres({ env: process.env, platform: process.platform }).then(
      () => ({}),
      async () => ({ 'postgres-bin': await embeddedBin() }),
    );
  });

  it('verify checks the base’s directory with the base’s lint, though the pull request points dir at an empty folder and turns the lint off', async () => {
    const workspace = await mergeCheckout(
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', lint: { mode: 'warn' } }), 'db/migrations/001_users.sql': USERS },
      {
        'pgshift.json': JSON.stringify({ dir: 'db/empty', lint: { mode: 'off' } }),
        'db/empty/README.md': 'nothing to prove here',
        'db/migrations/002_index.sql': INDEX,
      },
    );
    const run = await pullRequest(workspace, bin);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('migrations in db/migrations');
    expect(run.outputs.verified).toBe('false');
    const body = comment();
    expect(body).toMatch(/^<!-- pgshift:plan dir=db%2Fmigrations table=schema_migrations -->/);
    expect(body).toContain('Problems: 0 errors, 1 warning · lint: 1 error, 0 warnings, 0 accepted');
    expect(body).toContain('<code>db/migrations/002&#95;index.sql</code>');
    expect(body).toContain("pgshift.json changes in this pull request; this check used the base's configuration");
    const changed = warnings(run).find((c) => c.properties.file === 'pgshift.json');
    expect(changed?.message).toContain('so that a pull request cannot change the settings of its own check');
    expect(failures(run).find((c) => c.properties.title === 'pgshift lint: create-index')?.properties.file).toBe(
      'db/migrations/002_index.sql',
    );

    // The workflow's own input still decides: it is not the pull request's file.
    const off = await pullRequest(workspace, { ...bin, lint: 'off' });
    expect(off.code, off.stdout).toBe(0);
    expect(comment()).toContain(
      'lint: off (the <code>lint</code> input, <code>PGSHIFT_LINT</code> or <code>lint.mode</code> in the config file)',
    );
  });

  it('plan reads the base’s table though the pull request names another, and PGSHIFT_TABLE overrides the base’s', async () => {
    const db = await database();
    const workspace = await mergeCheckout(
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', table: 'ops_migrations' }), 'db/migrations/001_users.sql': USERS },
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', table: 'fresh_migrations' }), 'db/migrations/002_other.sql': OTHER },
    );
    await db.query(USERS.split('\n')[1]!);
    await db.query(
      'CREATE TABLE ops_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    await db.query(`INSERT INTO ops_migrations (version, name) VALUES (1, 'users')`);
    const run = await pullRequest(workspace, { command: 'plan', connection: db.url });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('migrations in db/migrations, table ops_migrations');
    // With the pull request's table, both would be pending.
    expect(JSON.parse(run.outputs.pending ?? '')).toEqual([{ version: 2, name: 'other' }]);
    expect(warnings(run).find((c) => c.properties.file === 'pgshift.json')?.message).toContain('pgshift.json changes in this pull request');

    const fromEnv = await pullRequest(workspace, { command: 'plan', connection: db.url }, { PGSHIFT_TABLE: 'fresh_migrations' });
    expect(fromEnv.code, fromEnv.stdout).toBe(0);
    expect(JSON.parse(fromEnv.outputs.pending ?? '').map((m: { version: number }) => m.version)).toEqual([1, 2]);
  });

  it('refuses a broken pgshift.json on the base, naming it as the base’s: fixing it in the pull request cannot help', async () => {
    const db = await database();
    const workspace = await mergeCheckout(
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', lockTimeout: 'soon' }), 'db/migrations/001_users.sql': USERS },
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', lockTimeout: '3s' }) },
    );
    const run = await pullRequest(workspace, { command: 'plan', connection: db.url });
    expect(run.code).toBe(1);
    expect(failures(run).at(-1)?.message).toMatch(/^pgshift\.json on main: lockTimeout must be a duration .* got "soon"$/);
    expect(run.summary).toContain('hint: correct "lockTimeout" in pgshift.json on main');

    const unknown = await mergeCheckout(
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations', dri: 'x' }), 'db/migrations/001_users.sql': USERS },
      { 'pgshift.json': JSON.stringify({ dir: 'db/migrations' }) },
    );
    const refused = await pullRequest(unknown, { command: 'plan', connection: db.url });
    expect(refused.code).toBe(1);
    expect(failures(refused).at(-1)?.message).toBe('the configuration as main has it is refused: pgshift.json: unknown setting "dri"');
    expect(refused.summary).toContain("fix it on main (a pull request's own change applies only after it is merged)");
  });

  it('reads no pgshift.json in a workspace that is not a git checkout, and says so', async () => {
    const db = await database();
    const workspace = await workspaceWith({
      'pgshift.json': JSON.stringify({ dir: 'db/migrations', lint: { mode: 'off' } }),
      'db/migrations/001_users.sql': USERS,
      'migrations/001_other.sql': OTHER,
    });
    const run = await runAction({
      workspace,
      event: pullRequestEvent(PR),
      inputs: { command: 'plan', connection: db.url, 'github-token': TOKEN },
      env: { GITHUB_API_URL: github.url },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('migrations in migrations, table schema_migrations');
    const warning = warnings(run).find((c) => c.properties.file === 'pgshift.json');
    expect(warning?.message).toContain('pgshift.json is not read: on a pull request it is read as the base commit has it');
    expect(warning?.message).toContain('the workspace is not a git checkout');
    expect(JSON.parse(run.outputs.pending ?? '')).toEqual([{ version: 1, name: 'other' }]);
  });
});
