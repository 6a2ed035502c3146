/**
 * The built action on a merge queue's entry (`merge_group`), as a workflow
 * runs it: the queued head checked out (the base branch with the queued pull
 * requests merged on top), the base from the payload, a private scratch
 * PostgreSQL, the open pull requests kept by a fake GitHub API.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPOSITORY, runAction, type ActionRun, type GitHubEvent } from '../support/action.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { commit, git, gitRepo } from '../support/git.js';
import { embeddedBin } from '../support/scratch-support.js';
import { findPostgres } from '../../src/scratch/index.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS =
  '-- UP\nSET lock_timeout = 5000;\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n-- DOWN\nDROP TABLE orders;\n';
const NOTES = '-- UP\nCREATE TABLE notes (id bigint PRIMARY KEY, body text);\n-- DOWN\nDROP TABLE notes;\n';
/** Proven alone against main, where users has email; broken after #41 renames it. */
const RENAME_EMAIL =
  '-- UP\nSET lock_timeout = 5000;\nALTER TABLE users RENAME COLUMN email TO mail;\n-- DOWN\nSET lock_timeout = 5000;\nALTER TABLE users RENAME COLUMN mail TO email;\n';
const VIEW_EMAIL =
  '-- UP\nCREATE TABLE tags (id bigint);\nCREATE VIEW user_emails AS SELECT email FROM users;\n-- DOWN\nDROP VIEW user_emails;\nDROP TABLE tags;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';

let github: FakeGitHub;
let bin: Record<string, string> = {};
beforeAll(async () => {
  bin = await findPostgres({ env: process.env, platform: process.platform }).then(
    () => ({}),
    async () => ({ 'postgres-bin': await embeddedBin() }),
  );
});
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => github.close());

/**
 * main with `base`; one branch per queued pull request, each from main; the
 * queue's head is main with each branch merged in turn, as GitHub builds
 * gh-readonly-queue/main/pr-N-<sha>. Returns the checkout (at the head) and main's commit.
 */
async function queue(base: Record<string, string>, pulls: Record<string, string>[]): Promise<{ repo: string; baseSha: string }> {
  const repo = await gitRepo();
  const baseSha = await commit(repo, { 'README.md': 'x', ...prefixed(base) });
  for (const [i, files] of pulls.entries()) {
    git(repo, 'checkout', '-q', '-b', `pr-${i}`, baseSha);
    await commit(repo, prefixed(files), `pull request ${i}`);
  }
  git(repo, 'checkout', '-q', '--detach', baseSha);
  for (const i of pulls.keys()) git(repo, 'merge', '-q', '--no-ff', '-m', `Merge pull request ${i}`, `pr-${i}`);
  return { repo, baseSha };
}
const prefixed = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([f, sql]) => [`migrations/${f}`, sql]));

function mergeGroupEvent(headSha: string, baseSha: string): GitHubEvent {
  return {
    name: 'merge_group',
    payload: {
      action: 'checks_requested',
      merge_group: {
        head_sha: headSha,
        head_ref: `refs/heads/gh-readonly-queue/main/pr-42-${baseSha}`,
        base_sha: baseSha,
        base_ref: 'refs/heads/main',
        head_commit: { id: headSha, message: 'Merge pull request #42' },
      },
      repository: { full_name: REPOSITORY, name: 'shop', owner: { login: 'acme' }, default_branch: 'main', private: false },
      sender: { login: 'github-merge-queue[bot]', type: 'Bot' },
    },
  };
}

async function verifyQueue(base: Record<string, string>, pulls: Record<string, string>[]): Promise<ActionRun> {
  const { repo, baseSha } = await queue(base, pulls);
  const head = git(repo, 'rev-parse', 'HEAD');
  return runAction({
    workspace: repo,
    event: mergeGroupEvent(head, baseSha),
    inputs: { dir: 'migrations', 'github-token': TOKEN, ...bin },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SHA: head,
      GITHUB_REF: `refs/heads/gh-readonly-queue/main/pr-42-${baseSha}`,
      RUNNER_TEMP: repo,
    },
  });
}

describe('the action on a merge queue entry (merge_group), with command auto', () => {
  it('verifies the queued pull requests together against the base, with the report in the job summary and no comment', async () => {
    const run = await verifyQueue({ '001_users.sql': USERS }, [{ '002_orders.sql': ORDERS }, { '003_notes.sql': NOTES }]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('auto: merge_group → verify');
    expect(run.stdout).toContain('verifying against main');
    expect(run.outputs.verified).toBe('true');
    expect(run.summary).toContain("2 new migrations apply on <code>main</code>'s schema");
    expect(github.writes().filter((r) => r.url !== '/graphql')).toEqual([]);
    expect(run.outputs['comment-url']).toBeUndefined();
  });

  it('fails the entry when pull requests proven alone break together, at the file that fails', async () => {
    const run = await verifyQueue({ '001_users.sql': USERS }, [
      { '002_rename_email.sql': RENAME_EMAIL },
      { '003_email_view.sql': VIEW_EMAIL },
    ]);
    expect(run.code).toBe(1);
    expect(run.outputs.verified).toBe('false');
    const error = run.commands.find((c) => c.command === 'error' && c.properties.file === 'migrations/003_email_view.sql');
    expect(error?.message).toContain('column "email" does not exist');
    expect(error?.properties.line).toBe('3');
    expect(run.summary).toContain('❌ pgshift');
  });

  it('names the queued pull requests that add the same version, and which to renumber', async () => {
    github.pullRequests.push(
      { number: 41, title: 'Add orders', login: 'ann', files: ['migrations/002_orders.sql'] },
      { number: 42, title: 'Add notes', login: 'bob', files: ['migrations/002_notes.sql', 'README.md'] },
      // Open, not queued: its file is not in the queued head.
      { number: 43, title: 'Add tags', login: 'cy', files: ['migrations/002_tags.sql'] },
    );
    const run = await verifyQueue({ '001_users.sql': USERS }, [{ '002_orders.sql': ORDERS }, { '002_notes.sql': NOTES }]);
    expect(run.code).toBe(1);
    const named = run.commands.find((c) => c.command === 'error' && c.message.includes('is added by'));
    expect(named?.message).toContain(
      'version 2 is added by #41 (“Add orders”, @ann) as migrations/002_orders.sql and by #42 (“Add notes”, @bob) as migrations/002_notes.sql',
    );
    expect(named?.message).not.toContain('#43');
    expect(named?.properties.file).toBe('migrations/002_notes.sql');
    expect(run.summary).toContain('renumber one of them');
    expect(JSON.parse(github.requests.find((r) => r.url === '/graphql')?.body ?? '{}').variables).toEqual({
      owner: 'acme',
      name: 'shop',
      base: 'main',
    });
  });

  it('reads the config file as the base has it, so a queued pull request cannot change its settings', async () => {
    const { repo, baseSha } = await queue({ '001_users.sql': USERS }, [{ '002_orders.sql': ORDERS }]);
    await writeFile(join(repo, 'pgshift.json'), JSON.stringify({ dir: 'elsewhere' }));
    await commit(repo, {}, 'a queued change to the settings');
    const head = git(repo, 'rev-parse', 'HEAD');
    const run = await runAction({
      workspace: repo,
      event: mergeGroupEvent(head, baseSha),
      inputs: { 'github-token': TOKEN, ...bin },
      env: { GITHUB_API_URL: github.url, GITHUB_SHA: head, RUNNER_TEMP: repo },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('migrations in migrations');
    expect(run.stdout).toContain('pgshift.json changes in this pull request');
  });
});
