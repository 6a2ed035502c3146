/**
 * The action's run() in this process, on a pull request of a stranger: the
 * workflow checked out the head itself, which merged main in; the head adds
 * pgshift.json to turn a rule off for its own check; a migration names a
 * table after the password of the scratch server. The runner is a recording
 * port, the GitHub API a fake, the scratch server the test PostgreSQL.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, ActionIo } from '../../src/action/io.js';
import { run } from '../../src/action/run.js';
import { adminUrl } from '../support/db.js';
import { query as sql } from '../support/scratch-support.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { commit, git, gitRepo } from '../support/git.js';

const PASSWORD = 'Pr0d_S3cr@t';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 21;
const SCRATCH_ROLE = `pgshift_t_scratch_${process.pid}`;
const PRODUCTION_ROLE = `pgshift_t_production_${process.pid}`;
const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const INVOICES = '-- UP\nCREATE TABLE invoices (id bigint PRIMARY KEY);\n-- DOWN\nDROP TABLE invoices;\n';
// The foreign key takes a lock on users with no lock_timeout: the lock-timeout rule's warning.
const LEAK = `-- UP\nCREATE TABLE "${PASSWORD}" (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCOMMENT ON TABLE "${PASSWORD}" IS 'holds ${PASSWORD}';\n-- DOWN\nDROP TABLE "${PASSWORD}";\n`;

interface Recorded {
  readonly secrets: string[];
  readonly outputs: Record<string, string>;
  readonly log: string[];
  readonly annotations: Annotation[];
  summary: string;
  failed?: string;
}

function recordingIo(inputs: Record<string, string>): { io: ActionIo; seen: Recorded } {
  const seen: Recorded = { secrets: [], outputs: {}, log: [], annotations: [], summary: '' };
  const io: ActionIo = {
    getInput: (name) => inputs[name] ?? '',
    setSecret: (value) => seen.secrets.push(value),
    setOutput: (name, value) => (seen.outputs[name] = value),
    info: (message) => seen.log.push(message),
    annotate: (annotation) => seen.annotations.push(annotation),
    writeSummary: async (markdown) => void (seen.summary += markdown),
    setFailed: (message) => (seen.failed = message),
  };
  return { io, seen };
}

let github: FakeGitHub;
const home = process.cwd();
beforeAll(async () => {
  await sql(
    adminUrl(),
    `CREATE ROLE ${SCRATCH_ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'; CREATE ROLE ${PRODUCTION_ROLE} LOGIN PASSWORD 'pgpass-from-env'`,
  );
  github = await startFakeGitHub();
});
afterAll(async () => {
  process.chdir(home);
  await github.close();
  await sql(adminUrl(), `DROP ROLE IF EXISTS ${SCRATCH_ROLE}; DROP ROLE IF EXISTS ${PRODUCTION_ROLE}`);
});

/** main: 001; the branch adds 003 and pgshift.json; main adds 002; the branch merges main; main moves on. */
async function strangersPullRequest() {
  const repo = await gitRepo();
  await commit(repo, { 'migrations/001_users.sql': USERS });
  git(repo, 'checkout', '-q', '-b', 'feature');
  await commit(repo, {
    'migrations/003_leak.sql': LEAK,
    'pgshift.json': JSON.stringify({ lint: { rules: { 'lock-timeout': 'off' } } }),
  });
  git(repo, 'checkout', '-q', 'main');
  await commit(repo, { 'migrations/002_invoices.sql': INVOICES });
  git(repo, 'checkout', '-q', 'feature');
  git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge main into feature', 'main');
  const head = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', 'main');
  const main = await commit(repo, { 'CHANGES.md': 'main moves on' });
  git(repo, 'checkout', '-q', '--detach', head);
  return { repo, head, main };
}

describe("the action's check of a stranger's pull request", () => {
  it('takes the merge base as the base, the base’s pgshift.json, and keeps every form of every secret out of everything it writes', async () => {
    const { repo, head, main } = await strangersPullRequest();
    const runner = await mkdtemp(join(tmpdir(), 'pgshift-runner-'));
    const eventPath = join(runner, 'event.json');
    const payload = {
      number: PR,
      pull_request: { number: PR, head: { sha: head }, base: { ref: 'main', sha: main } },
      repository: { full_name: 'acme/shop', default_branch: 'main' },
    };
    await writeFile(eventPath, JSON.stringify(payload));
    const admin = new URL(adminUrl());
    // Roles of their own, so that the passwords are checked where the server checks them (the embedded one does).
    const scratch = new URL(adminUrl());
    scratch.username = SCRATCH_ROLE;
    scratch.password = encodeURIComponent(PASSWORD);
    const { io, seen } = recordingIo({ dir: 'migrations', 'github-token': TOKEN, 'scratch-url': scratch.toString() });
    process.chdir(repo);
    try {
      await run(io, {
        PATH: process.env.PATH,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '4242',
        GITHUB_API_URL: github.url,
        GITHUB_SHA: 'e'.repeat(40),
        GITHUB_WORKSPACE: repo,
        RUNNER_TEMP: runner,
        // Production from the PG* variables.
        PGHOST: admin.hostname,
        PGPORT: admin.port || '5432',
        PGUSER: PRODUCTION_ROLE,
        PGDATABASE: admin.pathname.slice(1),
        PGPASSWORD: 'pgpass-from-env',
      });
    } finally {
      process.chdir(home);
    }
    const comment = (github.comments.get(PR) ?? []).map((c) => c.body).join('\n');
    expect(seen.failed, seen.log.join('\n')).toBeUndefined();
    // main's 002 is the base's; the branch's own 003 is the one new migration.
    expect(seen.log).toContain('verifying against main');
    expect(comment).toContain("pgshift: 1 new migration applies on <code>main</code>'s schema, rolls back exactly and applies again");
    // Its lock-timeout warning marks its row.
    expect(comment).toContain('| ⚠️ | <code>migrations/003&#95;leak.sql</code> | ✅ | ✅ restores | ✅ matches |');
    expect(comment).toContain('[workflow run](https://github.com/acme/shop/actions/runs/4242)');
    expect(comment).not.toContain('| <code>migrations/002&#95;invoices.sql</code> |');
    expect(comment).toContain('On the database of the <code>connection</code> input: 3 migrations would be applied');

    // The base has no pgshift.json: the lock-timeout rule stays on, and the change is a warning, annotated.
    expect(JSON.parse(seen.outputs.findings ?? '[]')).toMatchObject([{ lint: { rule: 'lock-timeout' } }]);
    const changed = "pgshift.json changes in this pull request; this check used the base's configuration";
    expect(comment).toContain(changed);
    expect(seen.annotations).toContainEqual(expect.objectContaining({ level: 'warning', file: 'pgshift.json' }));
    expect(seen.annotations.find((a) => a.file === 'pgshift.json')?.message).toContain(changed);

    // The table named after the password: masked in the comment, the summary, the outputs, the log, the annotations.
    expect(comment).toContain('***');
    const written = [comment, seen.summary, JSON.stringify(seen.outputs), seen.log.join('\n'), JSON.stringify(seen.annotations)];
    const forms = [PASSWORD, encodeURIComponent(PASSWORD), 'Pr0d&#95;S3cr&#64;', 'S3cr&#64;t', 'S3cr@t', 'pgpass-from-env', TOKEN];
    for (const text of written) for (const form of forms) expect(text).not.toContain(form);
    expect(seen.secrets).toEqual(expect.arrayContaining([PASSWORD, encodeURIComponent(PASSWORD), 'pgpass-from-env', TOKEN]));
  });
});
