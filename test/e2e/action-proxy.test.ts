/**
 * The built action behind an HTTP proxy, as on a self-hosted runner that
 * reaches GitHub only through one: GITHUB_API_URL names a host that only the
 * proxy can resolve, so every call that arrives went through it.
 */
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, runAction, type ActionRun } from '../support/action.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { migrationsDir } from '../support/files.js';
import { HOST, startProxy, type Proxy } from '../support/proxy.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 5;

let db: TestDatabase;
let github: FakeGitHub;
let proxy: Proxy;
let workspace: string;
let api: string;

beforeEach(async () => {
  db = await createDatabase();
  github = await startFakeGitHub();
  const port = Number(new URL(github.url).port);
  proxy = await startProxy(port);
  api = `http://${HOST}:${port}`;
  workspace = dirname(await migrationsDir({ '001_create_users.sql': USERS }));
});
afterEach(async () => {
  await proxy.close();
  await github.close();
  await db.drop();
});

function step(env: Record<string, string>): Promise<ActionRun> {
  return runAction({
    workspace,
    event: pullRequestEvent(PR),
    inputs: { connection: db.url, dir: 'migrations', command: 'plan', 'github-token': TOKEN },
    env: { GITHUB_API_URL: api, ...env },
  });
}

describe('the action behind an HTTP proxy', () => {
  it('sends its GitHub calls through HTTP_PROXY to a host only the proxy resolves', async () => {
    const run = await step({ HTTP_PROXY: proxy.url });
    expect(run.code, run.stdout).toBe(0);
    expect(github.writes().map((r) => `${r.method} ${r.url}`)).toEqual([`POST /repos/acme/shop/issues/${PR}/comments`]);
    expect(run.outputs['comment-url']).toBe(github.comments.get(PR)?.[0]?.html_url);
    // Each call the fake answered came through the proxy, for the host the action was given.
    expect(proxy.seen.length).toBeGreaterThan(0);
    for (const line of proxy.seen) expect(line).toMatch(new RegExp(`^(CONNECT ${api.slice(7)}|(GET|POST) ${api}/)`));
    // Nothing about the token reaches the proxy's log: it is inside the request, not its target.
    expect(proxy.seen.join('\n')).not.toContain(TOKEN);
  });

  it('goes direct for a host in NO_PROXY, and then cannot resolve it: a warning, the step still green', async () => {
    const run = await step({ HTTP_PROXY: proxy.url, NO_PROXY: `localhost,${HOST}` });
    expect(run.code, run.stdout).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(github.requests).toEqual([]);
    const warning = run.commands.find((c) => c.command === 'warning');
    expect(warning?.message).toContain('could not write the pull request comment');
  });

  it('without a proxy, the host does not resolve at all: the proxy is what made the first test work', async () => {
    const run = await step({});
    expect(run.code, run.stdout).toBe(0);
    expect(github.requests).toEqual([]);
    expect(run.commands.find((c) => c.command === 'warning')?.message).toContain('could not write the pull request comment');
  });
});
