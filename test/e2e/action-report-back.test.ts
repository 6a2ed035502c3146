/**
 * The built action's report back: after an apply on a push to the default
 * branch, the pull request that brought the commit gets what was applied at
 * the top of its pgshift comment, through a fake GitHub API and a real
 * PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, pushEvent, runAction, type ActionRun, type GitHubEvent } from '../support/action.js';
import { adminUrl, createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { addFiles, migrationsDir } from '../support/files.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id bigint PRIMARY KEY);\n-- DOWN\nDROP TABLE orders;\n';
const BROKEN = '-- UP\nCREATE TABLE tags (id bigint);\nALTER TABLE tags\n  ADD COLUMN name textt;\n-- DOWN\nDROP TABLE tags;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PASSWORD = 'Sup3r-Secret-Pw-4711';
const PR = 7;
const MERGE = 'abcdef0123456789abcdef0123456789abcdef01';

let db: TestDatabase;
let github: FakeGitHub;
let dir: string;
let role: string;

beforeEach(async () => {
  db = await createDatabase();
  // A role of its own with a password, owning the database: the password must never be shown.
  role = `pgshift_r_${randomBytes(4).toString('hex')}`;
  await db.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`);
  await db.query(`ALTER DATABASE ${db.name} OWNER TO ${role}`);
  github = await startFakeGitHub();
  dir = await migrationsDir({ '001_create_users.sql': USERS, '002_create_orders.sql': ORDERS });
});
afterEach(async () => {
  await github.close();
  await db.drop();
  const admin = new pg.Client(adminUrl());
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
});

/** The connection with the role's password in it. */
const connection = () => {
  const url = new URL(db.url);
  url.username = role;
  url.password = PASSWORD;
  return url.toString();
};

function step(event: GitHubEvent, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    workspace: dirname(dir),
    event,
    inputs: { connection: connection(), dir: 'migrations', 'github-token': TOKEN, ...inputs },
    env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '777' },
  });
}

function merged(commit = MERGE): GitHubEvent {
  const push = pushEvent('main');
  return { ...push, payload: { ...push.payload, after: commit, head_commit: { id: commit }, commits: [{ id: commit }] } };
}

const pgshiftComments = () => (github.comments.get(PR) ?? []).filter((c) => c.body.startsWith('<!-- pgshift:plan'));

describe('the action after the merge: a report back on the pull request', () => {
  it('updates the pull request’s comment with what was applied where, when, how long each took, and the run', async () => {
    // The pull request's check wrote its comment; then it was merged, as MERGE.
    expect((await step(pullRequestEvent(PR), { command: 'plan' })).code).toBe(0);
    const [before] = pgshiftComments();
    expect(before?.body).toContain('2 migrations pending');
    github.commitPulls.set(MERGE, [{ number: PR, merged_at: '2026-12-06T18:00:00Z' }]);

    const run = await step(merged());
    expect(run.code, run.stdout).toBe(0);
    expect(github.requests.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')}`)).toContain(`GET /repos/acme/shop/commits/${MERGE}/pulls`);
    expect(github.writes().map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /repos/acme/shop/issues/${PR}/comments`,
      `PATCH /repos/acme/shop/issues/comments/${before?.id}`,
    ]);
    const comments = pgshiftComments();
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    const port = new URL(db.url).port || '5432';
    expect(body.split('\n').slice(1, 3)).toEqual([
      '<!-- pgshift:applied -->',
      `### 🚀 Applied on merge: 2 migrations on <code>127.0.0.1:${port}</code>`,
    ]);
    expect(body).toMatch(
      /Finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC in \d+(\.\d+)? m?s from commit <code>abcdef0<\/code> by this \[workflow run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/777\)\./,
    );
    expect(body).toMatch(/\| ✅ \| 1 \| create&#95;users \| applied \| \d+(\.\d+)? ?m?s \|/);
    expect(body).toMatch(/\| ✅ \| 2 \| create&#95;orders \| applied \| /);
    // The pull request's last report stays below.
    expect(body).toContain('2 migrations pending');
    for (const secret of [PASSWORD, db.name, db.name.replace(/_/g, '&#95;'), 'postgres:']) expect(body).not.toContain(secret);
    expect(run.log).toContain(`report back: the comment of #${PR} updated: ${comments[0]!.html_url}`);
    expect(run.summary).toContain('Applied on merge: 2 migrations on <code>127.0.0.1');
    expect(run.summary).toContain(`Reported on [#${PR}](${comments[0]!.html_url})`);
    expect(run.outputFile + run.summary + run.log).not.toContain(PASSWORD);
  });

  it('reports a failed apply at its file and line, and a later apply replaces that section', async () => {
    github.commitPulls.set(MERGE, [{ number: PR, merged_at: '2026-12-06T18:00:00Z' }]);
    await addFiles(dir, { '003_tags.sql': BROKEN });
    const failed = await step(merged());
    expect(failed.code).toBe(1);
    // No earlier comment: one is created, so the author hears of it.
    const [comment] = pgshiftComments();
    expect(comment?.body).toContain('### ❌ Apply on merge failed on <code>127.0.0.1');
    expect(comment?.body).toContain('after 2 migrations');
    expect(comment?.body).toContain('> [!CAUTION]\n> <code>migrations/003&#95;tags.sql:4</code>: ');
    expect(comment?.body).toContain('type "textt" does not exist');
    expect(comment?.body).toMatch(/\| ❌ \| 3 \| tags \| failed \|/);

    await addFiles(dir, { '003_tags.sql': BROKEN.replace('textt', 'text') });
    const fix = 'fedcba9876543210fedcba9876543210fedcba98';
    github.commitPulls.set(fix, [{ number: PR, merged_at: '2026-12-06T18:30:00Z' }]);
    // The repair of the file's checksum is not needed: the failed migration was never recorded.
    const again = await step(merged(fix));
    expect(again.code, again.stdout).toBe(0);
    const body = pgshiftComments()[0]?.body ?? '';
    expect(pgshiftComments()).toHaveLength(1);
    expect(body).toContain('### 🚀 Applied on merge: 1 migration on');
    expect(body).not.toContain('Apply on merge failed');
    expect(body.match(/<!-- pgshift:applied -->/g)).toHaveLength(1);
  });

  it('says in the log only when no pull request brought the commit, and leaves a push with nothing to apply silent', async () => {
    const run = await step(merged());
    expect(run.code, run.stdout).toBe(0);
    expect(run.log).toContain('report back: no merged pull request brought these commits');
    expect(github.writes()).toEqual([]);
    expect(run.summary).toContain('No pull request was told');

    github.commitPulls.set(MERGE, [{ number: PR, merged_at: '2026-12-06T18:00:00Z' }]);
    const idle = await step(merged());
    expect(idle.code, idle.stdout).toBe(0);
    expect(github.requests.filter((r) => r.url.includes('/pulls'))).toHaveLength(1);
    expect(github.writes()).toEqual([]);
  });

  it('never tells an open pull request that merely holds the commit', async () => {
    github.commitPulls.set(MERGE, [{ number: 9, merged_at: null }]);
    const run = await step(merged());
    expect(run.code, run.stdout).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(run.log).toContain('no merged pull request brought these commits');
  });
});
