import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: string };
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/repos/acme/shop/issues/7/comments?per_page=100&page=2`. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * `ok` plays the API; `forbidden` answers 403 to writes, as GitHub does for a
 * fork's read-only token; `not-found` answers 404 to everything, as it does
 * for a token that cannot see the repository.
 */
export type FakeMode = 'ok' | 'forbidden' | 'not-found';

export interface FakeGitHub {
  /** Point GITHUB_API_URL here. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The comments of every issue, by issue number, oldest first. */
  readonly comments: Map<number, FakeComment[]>;
  mode: FakeMode;
  /** The open pull requests the GraphQL endpoint answers with. */
  readonly pullRequests: { number: number; title: string; login: string; files: string[] }[];
  /** GET /repos/{repo}/commits/{sha}/pulls answers, by commit: the pull requests associated with it. */
  readonly commitPulls: Map<string, { number: number; merged_at: string | null }[]>;
  /** Adds `count` comments that are not pgshift's, to push its comment onto a later page. */
  seed(issue: number, count: number): void;
  /** Requests that were not listing comments: the writes. */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

const MAX_PER_PAGE = 100;

/** A real HTTP server on 127.0.0.1 that plays GitHub's issue-comment endpoints and records what it is sent. */
export async function startFakeGitHub(repository = 'acme/shop'): Promise<FakeGitHub> {
  const comments = new Map<number, FakeComment[]>();
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  let origin = '';
  const htmlUrl = (issue: number, id: number) => `https://github.com/${repository}/pull/${issue}#issuecomment-${id}`;
  const add = (issue: number, body: string, login: string) => {
    const comment: FakeComment = {
      id: nextId++,
      body,
      html_url: htmlUrl(issue, nextId - 1),
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
    };
    comments.set(issue, [...(comments.get(issue) ?? []), comment]);
    return comment;
  };

  const fake: FakeGitHub = {
    url: '',
    requests,
    comments,
    mode: 'ok',
    pullRequests: [],
    commitPulls: new Map(),
    seed(issue, count) {
      for (let i = 0; i < count; i++) add(issue, `Looks good to me (${i + 1})`, 'reviewer');
    },
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(value));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
    const url = new URL(req.url ?? '/', origin);
    // GitHub takes both schemes; Octokit sends `token …`.
    if (!/^(Bearer|token) /.test(req.headers.authorization ?? '')) return send(res, 401, { message: 'Requires authentication' });
    if (fake.mode === 'not-found') return send(res, 404, { message: 'Not Found' });
    const write = (req.method === 'POST' && url.pathname !== '/graphql') || req.method === 'PATCH';
    if (fake.mode === 'forbidden' && write) return send(res, 403, { message: 'Resource not accessible by integration' });

    if (url.pathname === '/graphql' && req.method === 'POST') {
      const nodes = fake.pullRequests.map((p) => ({
        number: p.number,
        title: p.title,
        url: `https://github.com/${repository}/pull/${p.number}`,
        author: { login: p.login },
        files: { nodes: p.files.map((path) => ({ path })) },
      }));
      return send(res, 200, { data: { repository: { pullRequests: { nodes } } } });
    }
    const list = new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(url.pathname);
    const pulls = new RegExp(`^/repos/${repository}/commits/([0-9a-f]{40})/pulls$`).exec(url.pathname);
    if (pulls && req.method === 'GET') {
      const found = fake.commitPulls.get(pulls[1]!) ?? [];
      return send(
        res,
        200,
        found.map((p) => ({ number: p.number, merged_at: p.merged_at, state: p.merged_at ? 'closed' : 'open', base: { ref: 'main' } })),
      );
    }
    if (list && req.method === 'GET') {
      const all = comments.get(Number(list[1])) ?? [];
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), MAX_PER_PAGE);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) => `<${origin}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [
        page < last && link(page + 1, 'next'),
        page < last && link(last, 'last'),
        page > 1 && link(1, 'first'),
        page > 1 && link(page - 1, 'prev'),
      ];
      const headers: Record<string, string> = links.some(Boolean) ? { link: links.filter(Boolean).join(', ') } : {};
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage), headers);
    }
    if (list && req.method === 'POST') {
      const text = (JSON.parse(body) as { body?: unknown }).body;
      if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' });
      if (text.length > 65_536) return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
      return send(res, 201, add(Number(list[1]), text, 'github-actions[bot]'));
    }
    if (one && req.method === 'PATCH') {
      const id = Number(one[1]);
      const found = [...comments.values()].flat().find((c) => c.id === id);
      if (!found) return send(res, 404, { message: 'Not Found' });
      const text = (JSON.parse(body) as { body?: unknown }).body;
      if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' });
      if (text.length > 65_536) return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
      found.body = text;
      return send(res, 200, found);
    }
    return send(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (fake as { url: string }).url = origin;
  return fake;
}
