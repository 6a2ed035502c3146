/**
 * The built action on a pull request, as a workflow runs it: a checkout of
 * GitHub's merge commit (the base is its first parent), no connection, a
 * private scratch PostgreSQL from the machine's binaries, the comment kept
 * by a fake GitHub API.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, runAction, type ActionRun } from '../support/action.js';
import { createDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin } from '../support/scratch-support.js';
import { findPostgres } from '../../src/scratch/index.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS =
  '-- UP\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX orders_user_idx ON orders (user_id);\n-- DOWN\nDROP TABLE orders;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 12;

let github: FakeGitHub;
let bin: Record<string, string> = {};
beforeAll(async () => {
  // The machine's PostgreSQL when it has one (the default search is what is tested), else the embedded one.
  bin = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => ({}),
    async () => ({ 'postgres-bin': await embeddedBin() }),
  );
});
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => github.close());

/** main with `base`; a branch with `head` on top; GitHub's merge commit of the branch into main checked out. */
async function mergeCheckout(base: Record<string, string>, head: Record<string, string | null>): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'README.md': 'x', ...Object.fromEntries(Object.entries(base).map(([f, sql]) => [`migrations/${f}`, sql])) });
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (const [file, sql] of Object.entries(head)) {
    if (sql === null) await rm(join(repo, 'migrations', file));
    else await writeFile(join(repo, 'migrations', file), sql);
  }
  await commit(repo, {}, 'the pull request');
  git(repo, 'checkout', '-q', 'main');
  await commit(repo, { 'CHANGES.md': 'on main meanwhile' }, 'main moves on');
  git(repo, 'checkout', '-q', '--detach');
  git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
  return repo;
}

/** As on GitHub: GITHUB_SHA is the merge commit checked out, the payload's head its second parent. */
function verify(workspace: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  let merge: string | undefined;
  let head: string | undefined;
  try {
    merge = git(workspace, 'rev-parse', 'HEAD');
    // From the commit object: a shallow clone's HEAD^2 is cut off.
    head = [...git(workspace, 'cat-file', '-p', merge).matchAll(/^parent (\S+)$/gm)][1]?.[1];
  } catch {
    // not a checkout: the action says so
  }
  return runAction({
    workspace,
    event: pullRequestEvent(PR, ...(head === undefined ? [] : [head])),
    inputs: { dir: 'migrations', 'github-token': TOKEN, ...bin, ...inputs },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
      RUNNER_TEMP: workspace,
      ...(merge !== undefined && { GITHUB_SHA: merge }),
    },
  });
}
const comment = () => (github.comments.get(PR) ?? []).find((c) => c.body.startsWith('<!-- pgshift:plan'))?.body ?? '';

describe('the action on a pull request, with command auto', () => {
  it('verifies the new migrations on a scratch server without any connection, and says so in one comment', async () => {
    const workspace = await mergeCheckout({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await verify(workspace);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('auto: pull_request → verify');
    expect(run.outputs.verified).toBe('true');
    const body = comment();
    // The foreign key takes SHARE ROW EXCLUSIVE on users, with no lock_timeout: a warning, which passes the check.
    expect(body).toContain("### ⚠️ pgshift: 1 new migration applies on <code>main</code>'s schema, rolls back exactly and applies again");
    expect(body).toContain('Problems: none · lint: 0 errors, 1 warning, 0 accepted');
    expect(body).toContain('**Lint: 0 errors, 1 warning, 0 accepted**');
    expect(body).toContain('<details><summary>1 warning</summary>');
    expect(body).toContain(
      '[<code>lock-timeout</code>](https://github.com/pgshift/pgshift#rule-lock-timeout): This statement takes SHARE ROW EXCLUSIVE on users with no lock&#95;timeout set',
    );
    expect(JSON.parse(run.outputs.findings ?? '[]')).toMatchObject([{ code: 'LINT', severity: 'warning', lint: { rule: 'lock-timeout' } }]);
    expect(body).toContain('| ⚠️ | <code>migrations/002&#95;orders.sql</code> | ✅ | ✅ restores | ✅ matches |');
    expect(body).toContain('**Schema changes from <code>main</code>**');
    expect(body).toContain('```diff\n+ added table public.orders (2 columns)\n+     column id bigint NOT NULL\n');
    expect(body).toContain('[workflow run](https://github.com/acme/shop/actions/runs/4242)');
    expect(body).toContain('<details><summary><code>migrations/002&#95;orders.sql</code> · DOWN</summary>');
    expect(body).toMatch(/pgshift verify · PostgreSQL \d+\.\d+ scratch server · base <code>main<\/code>/);
    expect(body).not.toContain('127.0.0.1');
    // What protected the runner, as a reviewer reads it.
    expect(body).toContain(
      "🛡️ Sandbox: the new migrations ran without superuser rights, as the database's owner, on a private PostgreSQL server",
    );
    expect(body).toContain('with a minimal environment; deadline 10 min.');
    // The job summary carries the whole report (a fork's pull request gets no comment).
    expect(run.summary).toContain("1 new migration applies on <code>main</code>'s schema");
    expect(run.summary).toContain('Problems: none · lint: 0 errors, 1 warning, 0 accepted');
    expect(run.summary).toContain('```sql\nDROP TABLE orders;\n```');
  });

  it('fails the check on a DOWN that does not restore, annotating the file, and the comment says what DOWN left', async () => {
    const behind = '-- UP\nCREATE TABLE notes (id int);\nCREATE INDEX users_email_idx ON users (email);\n-- DOWN\nDROP TABLE notes;\n';
    const workspace = await mergeCheckout({ '001_users.sql': USERS }, { '002_notes.sql': behind });
    const run = await verify(workspace);
    expect(run.code).toBe(1);
    expect(run.outputs.verified).toBe('false');
    const annotation = run.commands.find((c) => c.command === 'error' && c.properties.file === 'migrations/002_notes.sql');
    expect(annotation?.message).toContain('DOWN of 002_notes.sql left index public.users_email_idx behind');
    const body = comment();
    // Two problems of the proof, and the lint's error: the index on users is built without CONCURRENTLY, as the scratch run saw.
    expect(body).toContain('### ❌ pgshift: 3 errors fail the check');
    expect(body).toContain('Problems: 2 errors, 0 warnings · lint: 1 error, 0 warnings, 0 accepted');
    expect(body).toContain('| ❌ | <code>migrations/002&#95;notes.sql</code> | ✅ | ❌ differs |');
    expect(body).toContain('DOWN of 002&#95;notes.sql left index public.users&#95;email&#95;idx behind');
    expect(body).toContain(
      '<code>migrations/002&#95;notes.sql:3</code> [<code>create-index</code>](https://github.com/pgshift/pgshift#rule-create-index)',
    );
    expect(body).toContain('observed: took SHARE on public.users');
    expect(body).toContain('CREATE INDEX CONCURRENTLY users_email_idx ON users (email);');
    const lint = run.commands.find((c) => c.command === 'error' && c.properties.title === 'pgshift lint: create-index');
    expect(lint?.properties).toMatchObject({ file: 'migrations/002_notes.sql', line: '3' });
  });

  it('reads the base from a shallow checkout by fetching it, and reports a base migration the branch edited', async () => {
    const origin = await mergeCheckout(
      { '001_users.sql': USERS },
      { '001_users.sql': USERS.replace('email', 'mail'), '002_orders.sql': ORDERS },
    );
    const merge = git(origin, 'rev-parse', 'HEAD');
    const shallow = `${origin}-shallow`;
    git(origin, 'clone', '-q', '--no-checkout', '--depth=1', `file://${origin}`, shallow);
    git(shallow, 'fetch', '-q', '--depth=1', 'origin', merge);
    git(shallow, 'checkout', '-q', merge);
    const run = await verify(shallow);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('migrations/001_users.sql is changed by this branch, but it is already on main and may be applied');
    expect(comment()).toContain('restore it as it is on main and put the change in a new migration');
  });

  it('with a read-only connection, also says what merging would apply to that database', async () => {
    const db = await createDatabase();
    try {
      const workspace = await mergeCheckout({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
      await db.query(USERS.split('\n')[1]!);
      await db.query(
        'CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      await db.query(`INSERT INTO schema_migrations (version, name) VALUES (1, 'users')`);
      const run = await verify(workspace, { connection: db.url });
      expect(run.code, run.stdout).toBe(0);
      expect(comment()).toContain(
        'On the database of the <code>connection</code> input: 1 migration would be applied: <code>migrations/002&#95;orders.sql</code>.',
      );
      // Nothing read from the connection string is in the comment.
      expect(comment()).not.toContain(db.name.replace(/_/g, '&#95;'));
      expect(run.outputs['pending-count']).toBe('1');
    } finally {
      await db.drop();
    }
  });

  it('warns, without failing, when another open pull request adds a migration with the same version', async () => {
    github.pullRequests.push(
      { number: 31, title: 'Add invoices', login: 'bob', files: ['migrations/002_invoices.sql', 'src/app.ts'] },
      { number: 32, title: 'Elsewhere', login: 'eve', files: ['db/other/002_x.sql'] },
      { number: PR, title: 'this one', login: 'me', files: ['migrations/002_orders.sql'] },
    );
    const workspace = await mergeCheckout({ '001_users.sql': USERS }, { '002_orders.sql': ORDERS });
    const run = await verify(workspace);
    expect(run.code, run.stdout).toBe(0);
    const body = comment();
    expect(body).toContain(
      'version 2 of migrations/002&#95;orders.sql is also added by &#35;&#8203;31 (“Add invoices”, &#64;&#8203;bob) as migrations/002&#95;invoices.sql',
    );
    expect(body).toContain('the next free version is 3');
    expect(body).not.toContain('&#35;&#8203;32');
    const graphql = github.requests.filter((r) => r.url === '/graphql');
    expect(graphql).toHaveLength(1);
    expect(JSON.parse(graphql[0]!.body).variables).toEqual({ owner: 'acme', name: 'shop', base: 'main' });
  });

  it('fails with one clear line when the workspace is not a git checkout', async () => {
    const workspace = await gitRepo();
    await rm(join(workspace, '.git'), { recursive: true });
    const run = await verify(workspace);
    expect(run.code).toBe(1);
    expect(run.commands.find((c) => c.command === 'error')?.message).toContain('the workspace is not a git checkout');
  });
});
