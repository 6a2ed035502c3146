/**
 * The GitHub client's retries and pagination, against a local HTTP server
 * that answers as GitHub does when it is having a bad minute.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError, gitHubApi } from '../../src/action/github-api.js';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

/** Answers the n-th request with answers[n] (the last one from then on); returns the API URL and the paths asked. */
async function server(answers: Answer[]): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const s = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    answers[Math.min(asked.length - 1, answers.length - 1)]!(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => s.close(() => resolve()));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, asked };
}

const json =
  (status: number, value: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

const api = (url: string) => gitHubApi({ apiUrl: url, token: 'ghs_test', repository: 'acme/shop', retryDelayMs: 1 });

describe('the GitHub client', () => {
  it('retries a 5xx until it answers', async () => {
    const { url, asked } = await server([
      json(502, { message: 'Bad Gateway' }),
      json(503, { message: 'busy' }),
      json(200, [{ number: 4, merged_at: 'x' }]),
    ]);
    expect(await api(url).pullsOf('a'.repeat(40))).toEqual([{ number: 4, merged_at: 'x' }]);
    expect(asked).toHaveLength(3);
  });

  it('retries a secondary rate limit (403 with retry-after), and gives up after three retries on a lasting 5xx', async () => {
    const limited = await server([
      json(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '0' }),
      json(201, { id: 1, body: 'b', html_url: 'u' }),
    ]);
    expect((await api(limited.url).create(3, 'b')).id).toBe(1);
    expect(limited.asked).toEqual(['POST /repos/acme/shop/issues/3/comments', 'POST /repos/acme/shop/issues/3/comments']);
    await close?.();

    const down = await server([json(500, { message: 'oops' })]);
    const error = await api(down.url)
      .pullsOf('b'.repeat(40))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(500);
    expect(down.asked).toHaveLength(4);
  });

  it('does not retry a refusal (403 without a rate limit), and says its status', async () => {
    const { url, asked } = await server([json(403, { message: 'Resource not accessible by integration' })]);
    const error = (await api(url)
      .update(9, 'x')
      .catch((e: unknown) => e)) as GitHubApiError;
    expect(error.status).toBe(403);
    expect(error.message).toContain('Resource not accessible by integration');
    expect(error.message).not.toContain('ghs_test');
    expect(asked).toHaveLength(1);
  });

  it('follows the Link header through every page of comments', async () => {
    let origin = '';
    const page = (n: number): Answer => {
      const items = Array.from({ length: n < 3 ? 100 : 5 }, (_, i) => ({ id: n * 1000 + i, body: '', html_url: '' }));
      const next = n < 3 ? { link: `<${origin}/repos/acme/shop/issues/1/comments?per_page=100&page=${n + 1}>; rel="next"` } : {};
      return json(200, items, next);
    };
    const s = await server([page(1), page(2), page(3)]);
    origin = s.url;
    expect(await api(s.url).list(1)).toHaveLength(205);
    expect(s.asked.at(-1)).toBe('GET /repos/acme/shop/issues/1/comments?per_page=100&page=3');
  });
});
