/**
 * The built action behind an HTTP proxy, as on a self-hosted runner that
 * reaches GitHub only through one: GITHUB_API_URL names a host that only the
 * proxy can resolve, so every call that arrives went through it.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullRequestEvent, runAction, type ActionRun } from '../support/action.js';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { migrationsDir } from '../support/files.js';

const USERS = '-- UP\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const TOKEN = 'ghs_fakeWorkflowToken0123456789';
const PR = 5;
const HOST = 'github.test';

interface Proxy {
  readonly url: string;
  /** What it was asked for: `CONNECT github.test:1234`, or `GET http://github.test:1234/…`. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A forward proxy: CONNECT tunnels and absolute-URI requests, for github.test only, which it maps to the fake API. */
async function startProxy(apiPort: number): Promise<Proxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    if (target.hostname !== HOST) return res.writeHead(502).end();
    const upstream = httpRequest(
      { host: '127.0.0.1', port: apiPort, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== HOST || Number(port) !== apiPort) return socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = connect(apiPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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
