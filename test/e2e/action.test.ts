import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, pushEvent, runAction, workflowDispatchEvent, type ActionRun, type GitHubEvent } from '../support/action.js';
import { adminUrl, createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { addFiles, migrationsDir } from '../support/files.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS =
  '-- UP\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX orders_user_id ON orders (user_id);\n-- DOWN\nDROP TABLE orders;\n';
const EMAIL_INDEX =
  '-- pgshift:no-transaction\n-- UP\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n-- DOWN\nDROP INDEX CONCURRENTLY users_email;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 7;

let db: TestDatabase;
let github: FakeGitHub;
let dir: string;
let workspace: string;

beforeEach(async () => {
  db = await createDatabase();
  github = await startFakeGitHub();
  dir = await migrationsDir({ '001_create_users.sql': USERS, '002_create_orders.sql': ORDERS });
  workspace = dirname(dir);
});
afterEach(async () => {
  await github.close();
  await db.drop();
});

/** The action as a workflow step would run it: the migrations directory relative to the checkout. */
function step(event: GitHubEvent, inputs: Record<string, string> = {}, connection = db.url): Promise<ActionRun> {
  // On pull requests these runs plan against the database (auto would verify: see action-verify.test.ts).
  const command = event.name === 'pull_request' ? { command: 'plan' } : {};
  return runAction({
    workspace,
    event,
    inputs: { connection, dir: 'migrations', 'github-token': TOKEN, ...command, ...inputs },
    env: { GITHUB_API_URL: github.url },
  });
}

const exists = async (table: string) => (await db.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [table]))[0]?.found === true;
const pgshiftComments = () => (github.comments.get(PR) ?? []).filter((c) => c.body.startsWith('<!-- pgshift:plan'));
/** How the comment writes user text: underscores as character references, so Markdown never reads them as emphasis. */
const md = (s: string) => s.replace(/_/g, '&#95;');
const failures = (run: ActionRun) => run.commands.filter((c) => c.command === 'error');

describe('the action on a pull request', () => {
  it('creates one plan comment, updates it on the next push (found on page 2), and says nothing is pending after the merge', async () => {
    github.seed(PR, 120);
    const first = await step(pullRequestEvent(PR));
    expect(first.code, first.stdout).toBe(0);
    expect(github.writes().map((r) => r.method)).toEqual(['POST']);
    const [comment] = pgshiftComments();
    expect(comment?.body).toContain('2 migrations pending on the database of the <code>connection</code> input');
    expect(comment?.body).not.toContain(md(db.name));
    expect(comment?.body).toContain('| 2 | create&#95;orders | 2 | one transaction | ✅ |');
    expect(comment?.body).toContain('<details><summary><code>migrations/002&#95;create&#95;orders.sql</code> · 2 statements</summary>');
    expect(comment?.body).toContain('CREATE INDEX orders_user_id ON orders (user_id);');
    expect(comment?.body).not.toContain('5432');
    expect(first.outputs).toMatchObject({ 'pending-count': '2', applied: '[]', 'comment-url': comment?.html_url });
    expect(JSON.parse(first.outputs.pending ?? '')).toEqual([
      { version: 1, name: 'create_users' },
      { version: 2, name: 'create_orders' },
    ]);
    expect(first.summary).toContain('pgshift plan: 2 migrations pending');
    expect(await exists('schema_migrations')).toBe(false);
    expect(await exists('users')).toBe(false);

    await addFiles(dir, { '003_index_user_email.sql': EMAIL_INDEX });
    const second = await step(pullRequestEvent(PR, 'b'.repeat(40)));
    expect(second.code, second.stdout).toBe(0);
    expect(github.requests.some((r) => r.method === 'GET' && r.url.includes('page=2'))).toBe(true);
    expect(github.writes().map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /repos/acme/shop/issues/${PR}/comments`,
      `PATCH /repos/acme/shop/issues/comments/${comment?.id}`,
    ]);
    expect(pgshiftComments()).toHaveLength(1);
    expect(pgshiftComments()[0]?.body).toContain('3 migrations pending');
    expect(pgshiftComments()[0]?.body).toContain('none (statement by statement)');
    expect(pgshiftComments()[0]?.body).toContain('commit <code>bbbbbbb</code>');

    const merged = await step(pushEvent('main'));
    expect(merged.code, merged.stdout).toBe(0);
    const third = await step(pullRequestEvent(PR));
    expect(third.code, third.stdout).toBe(0);
    expect(github.writes().map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    expect(pgshiftComments()).toHaveLength(1);
    expect(pgshiftComments()[0]?.body).toContain('nothing pending on the database of the <code>connection</code> input');
    expect(third.outputs['pending-count']).toBe('0');
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('creates no comment when nothing is pending and there is no earlier one', async () => {
    expect((await step(pushEvent('main'))).code).toBe(0);
    const run = await step(pullRequestEvent(PR));
    expect(run.code, run.stdout).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(run.outputs['comment-url']).toBeUndefined();
    expect(run.summary).toContain('nothing pending');
  });

  it.each(['forbidden', 'not-found'] as const)(
    'stays green when the comment cannot be written (%s), with a warning naming the permission',
    async (mode) => {
      github.mode = mode;
      const run = await step(pullRequestEvent(PR));
      expect(run.code, run.stdout).toBe(0);
      const warning = run.commands.find((c) => c.command === 'warning');
      expect(warning?.message).toContain(`HTTP ${mode === 'forbidden' ? 403 : 404}`);
      expect(warning?.message).toContain('pull-requests: write');
      expect(failures(run)).toEqual([]);
      expect(run.outputs['comment-url']).toBeUndefined();
      expect(run.outputs['pending-count']).toBe('2');
      expect(run.summary).toContain('pull-requests: write');
      expect(run.summary).toContain('| 2 | create&#95;orders |');
    },
  );

  it('refuses migrate on a pull request unless allow-apply-on-pull-request is true', async () => {
    const refused = await step(pullRequestEvent(PR), { command: 'migrate' });
    expect(refused.code).toBe(1);
    expect(failures(refused).at(-1)?.message).toMatch(/^refusing to migrate on a pull_request event: .*allow-apply-on-pull-request: true/);
    expect(await exists('schema_migrations')).toBe(false);
    expect(github.requests).toEqual([]);

    const allowed = await step(pullRequestEvent(PR), { command: 'migrate', 'allow-apply-on-pull-request': 'true' });
    expect(allowed.code, allowed.stdout).toBe(0);
    expect(JSON.parse(allowed.outputs.applied ?? '')).toHaveLength(2);
  });

  it('puts problems above the plan and fails the check: an applied file edited since', async () => {
    expect((await step(pushEvent('main'), { command: 'migrate', target: '1' })).code).toBe(0);
    await writeFile(join(dir, '001_create_users.sql'), USERS.replace('email text', 'email citext'));
    const run = await step(pullRequestEvent(PR));
    expect(run.code).toBe(1);
    expect(failures(run).at(-1)?.message).toContain(
      '1 error would stop migrate: migrations/001_create_users.sql was edited after it was applied',
    );
    const annotation = failures(run).find((c) => c.properties.file === 'migrations/001_create_users.sql');
    expect(annotation?.properties).toMatchObject({ line: '1', title: 'Migration edited after it was applied' });
    const body = pgshiftComments()[0]?.body ?? '';
    expect(body).toContain('[!CAUTION]');
    expect(body.indexOf('was edited after it was applied')).toBeGreaterThan(0);
    expect(body.indexOf('was edited after it was applied')).toBeLessThan(body.indexOf('| Version |'));
    expect(body).toContain('| 2 | create&#95;orders |');
  });

  it('shows bad file names and duplicate versions in the comment, annotated on each file, and fails', async () => {
    await addFiles(dir, { '002_orders_again.sql': ORDERS, 'add_payments.sql': ORDERS });
    const run = await step(pullRequestEvent(PR));
    expect(run.code).toBe(1);
    const files = failures(run)
      .map((c) => c.properties.file)
      .filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['migrations/add_payments.sql', 'migrations/002_orders_again.sql']));
    const body = pgshiftComments()[0]?.body ?? '';
    // The plan is made all the same, with every problem above it.
    expect(body).toContain('`migrate` would refuse to run until the problems below are fixed, so this check fails.');
    expect(body).toContain('version 2 is used by both');
    expect(body).toContain('add&#95;payments.sql');
    expect(run.outputs.applied).toBe('[]');
  });

  it('shortens long SQL to keep the comment within 65,536 characters and says so', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `INSERT INTO users (id, email) VALUES (${i}, 'user${i}@example.com');`).join('\n');
    await addFiles(dir, { '003_seed_users.sql': `-- UP\n${rows}\n-- DOWN\nDELETE FROM users;\n` });
    const run = await step(pullRequestEvent(PR));
    expect(run.code, run.stdout).toBe(0);
    const body = pgshiftComments()[0]?.body ?? '';
    expect(body.length).toBeGreaterThan(30_000);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("1 SQL block shortened to keep this comment within GitHub's 65,536-character limit");
    expect(body).toMatch(
      /Shortened: the first \d+ lines of 4000 shown; the full SQL is in <code>migrations\/003&#95;seed&#95;users.sql<\/code>/,
    );
    expect(body).toContain('CREATE INDEX orders_user_id ON orders (user_id);');
  });
});

describe('the action on push and workflow_dispatch', () => {
  it('applies on a push to the default branch, and only reports status on a push to another branch', async () => {
    const feature = await step(pushEvent('feature/orders'));
    expect(feature.code, feature.stdout).toBe(0);
    expect(feature.stdout).toContain('auto: push to feature/orders (not the default branch main) → status');
    expect(feature.outputs).toMatchObject({ applied: '[]', 'pending-count': '2' });
    expect(await exists('users')).toBe(false);

    const main = await step(pushEvent('main'));
    expect(main.code, main.stdout).toBe(0);
    expect(main.stdout).toContain('auto: push to the default branch main → migrate');
    expect(JSON.parse(main.outputs.applied ?? '')).toEqual([
      { version: 1, name: 'create_users' },
      { version: 2, name: 'create_orders' },
    ]);
    expect(main.outputs).toMatchObject({ 'rolled-back': '[]', pending: '[]', 'pending-count': '0' });
    expect(JSON.parse(main.outputs.status ?? '')).toMatchObject({ applied_count: 2, pending_count: 0, table: 'schema_migrations' });
    expect(main.summary).toMatch(/pgshift migrate: applied 2 migrations on .* in \d+/);
    expect(main.summary).toMatch(/\| ✅ \| 2 \| create&#95;orders \| applied \| \d+ ms \|/);
    expect(await exists('orders')).toBe(true);
    // The report back asks which pull request brought the pushed commit; none did here, so nothing is written.
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /repos/acme/shop/commits/${'2'.repeat(40)}/pulls?per_page=100`,
    ]);
    expect(main.log).toContain('report back: no merged pull request brought these commits');
  });

  it('status passes on a drifted history and marks the edited file with a warning', async () => {
    expect((await step(pushEvent('main'))).code).toBe(0);
    await writeFile(join(dir, '002_create_orders.sql'), ORDERS.replace('user_id bigint', 'user_id integer'));
    const run = await step(pushEvent('feature/x'));
    expect(run.code, run.stdout).toBe(0);
    expect(failures(run)).toEqual([]);
    const warning = run.commands.find((c) => c.command === 'warning');
    expect(warning?.properties).toMatchObject({ file: 'migrations/002_create_orders.sql', line: '1' });
    expect(JSON.parse(run.outputs.status ?? '').problems[0]).toMatchObject({ kind: 'checksum-mismatch' });
    expect(run.summary).toContain('was edited after it was applied');
  });

  it('rolls back 2 steps from workflow_dispatch, most recent first', async () => {
    await addFiles(dir, { '003_index_user_email.sql': EMAIL_INDEX });
    expect((await step(pushEvent('main'))).code).toBe(0);
    const run = await step(workflowDispatchEvent({ steps: '2' }), { command: 'rollback', steps: '2' });
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.outputs['rolled-back'] ?? '')).toEqual([
      { version: 3, name: 'index_user_email' },
      { version: 2, name: 'create_orders' },
    ]);
    expect(run.outputs).toMatchObject({ applied: '[]', 'pending-count': '2' });
    expect(run.summary).toContain('pgshift rollback: rolled back 2 migrations');
    expect(await exists('orders')).toBe(false);
    expect(await exists('users_email')).toBe(false);
    expect(await exists('users')).toBe(true);
  });

  it('fails the step on a failing migration, with an error annotation on its file and line', async () => {
    const bad =
      '-- Orders, with a typo\n-- UP\nCREATE TABLE orders (id bigint PRIMARY KEY);\nINSERT INTO orders (id, missing_column) VALUES (1, 2);\n-- DOWN\nDROP TABLE orders;\n';
    await writeFile(join(dir, '002_create_orders.sql'), bad);
    const run = await step(pushEvent('main'));
    expect(run.code).toBe(1);
    const annotation = failures(run).find((c) => c.properties.file === 'migrations/002_create_orders.sql');
    expect(annotation?.properties).toMatchObject({ line: '4', col: '25', title: 'Migration failed' });
    expect(annotation?.message).toContain('column "missing_column" of relation "orders" does not exist (42703)');
    expect(failures(run).at(-1)?.message).toMatch(
      /^migrate failed: migrations\/002_create_orders.sql:4:25: column "missing_column" .* \(42703\)$/,
    );
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([{ version: 1, name: 'create_users' }]);
    expect(JSON.parse(run.outputs.pending ?? '')).toEqual([{ version: 2, name: 'create_orders' }]);
    expect(run.summary).toContain('| ❌ | 2 | create&#95;orders | failed |');
    expect(await exists('users')).toBe(true);
    expect(await exists('orders')).toBe(false);
  });

  it('fails with one clear line when the database cannot be reached', async () => {
    const run = await step(pushEvent('main'), {}, 'postgres://postgres@127.0.0.1:1/nowhere');
    expect(run.code).toBe(1);
    expect(failures(run).at(-1)?.message).toBe(
      'migrate failed: cannot connect to 127.0.0.1:1/nowhere: connection refused; is PostgreSQL running and listening there?',
    );
    expect(run.outputs.applied).toBe('[]');
    expect(run.outputs.status).toBeUndefined();
  });
});

describe('the connection password', () => {
  const PASSWORD = 'p@ss:w/rd%?#&';
  let role: string;

  beforeEach(async () => {
    role = `pgshift_r_${randomBytes(4).toString('hex')}`;
    await db.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`);
    await db.query(`ALTER DATABASE ${db.name} OWNER TO ${role}`);
  });
  afterEach(async () => {
    await db.drop();
    const admin = new pg.Client(adminUrl());
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
  });

  it('appears nowhere: not in stdout, stderr, outputs, summary or comment, in any form', async () => {
    const url = new URL(db.url);
    const connection = `postgres://${role}:${encodeURIComponent(PASSWORD)}@${url.host}/${db.name}`;
    const missing = `postgres://${role}:${encodeURIComponent(PASSWORD)}@${url.host}/${db.name}_missing`;
    const broken = '-- UP\nCREATE TABLE broken (id int);\nSELECT no_such_function();\n';
    const runs = [
      await step(pullRequestEvent(PR), {}, connection),
      await step(pushEvent('main'), { target: '1' }, connection),
      await step(workflowDispatchEvent({}), { command: 'status' }, connection),
      await step(pushEvent('main'), { command: 'validate' }, connection),
      await step(pushEvent('main'), {}, missing),
    ];
    await addFiles(dir, { '003_broken.sql': broken });
    runs.push(await step(pushEvent('main'), {}, connection));
    runs.push(await step(pullRequestEvent(PR), { command: 'rollback', 'allow-apply-on-pull-request': 'true', steps: '2' }, connection));

    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 1, 1, 0]);
    expect(await exists('users')).toBe(false);
    const forms = [PASSWORD, encodeURIComponent(PASSWORD), encodeURI(PASSWORD), connection, 'w/rd%'];
    const places = runs.flatMap((r) => [r.log, r.stderr, r.outputFile, r.summary]);
    places.push(...github.requests.map((r) => r.body), ...[...github.comments.values()].flat().map((c) => c.body));
    expect(pgshiftComments()).toHaveLength(1);
    for (const place of places) for (const form of forms) expect(place).not.toContain(form);
    for (const run of runs) {
      // Every mask is registered before the first line the runner would show.
      const lines = run.stdout.split('\n');
      const firstShown = lines.findIndex((l) => !l.startsWith('::add-mask::'));
      expect(lines.slice(0, firstShown).length).toBeGreaterThanOrEqual(3);
      expect(lines.slice(firstShown).some((l) => l.startsWith('::add-mask::'))).toBe(false);
    }
  });
});
