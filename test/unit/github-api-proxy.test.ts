/**
 * GraphQL (GITHUB_GRAPHQL_URL) goes through the proxy as REST does: the
 * proxy is chosen when @actions/github loads, which the client does on its
 * first call, so the variables are set before it here, as a runner sets them
 * before the action starts. A file of its own: the module loads once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitHubApi } from '../../src/action/github-api.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { HOST, startProxy, type Proxy } from '../support/proxy.js';

let github: FakeGitHub;
let proxy: Proxy;
const saved = { api: process.env.GITHUB_API_URL, proxy: process.env.HTTP_PROXY };

beforeAll(async () => {
  github = await startFakeGitHub();
  const port = Number(new URL(github.url).port);
  proxy = await startProxy(port);
  process.env.GITHUB_API_URL = `http://${HOST}:${port}`;
  process.env.HTTP_PROXY = proxy.url;
});
afterAll(async () => {
  for (const [name, value] of [
    ['GITHUB_API_URL', saved.api],
    ['HTTP_PROXY', saved.proxy],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await proxy.close();
  await github.close();
});

describe('the GitHub client behind a proxy', () => {
  it('posts GraphQL to GITHUB_GRAPHQL_URL through HTTP_PROXY', async () => {
    github.pullRequests.push({ number: 8, title: 'Add tags', login: 'cy', files: ['migrations/004_tags.sql'] });
    const api = gitHubApi({
      apiUrl: process.env.GITHUB_API_URL!,
      graphqlUrl: `${process.env.GITHUB_API_URL}/graphql`,
      token: 'ghs_test',
      repository: 'acme/shop',
    });
    const data = await api.graphql<{ repository: { pullRequests: { nodes: { number: number }[] } } }>('query { x }', { owner: 'acme' });
    expect(data.repository.pullRequests.nodes.map((n) => n.number)).toEqual([8]);
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /graphql']);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((line) => line.includes(`${HOST}:`))).toBe(true);
  });
});
