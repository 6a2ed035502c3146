/**
 * The issue-comment endpoints the action uses, over the global fetch.
 * Octokit would do the same at the cost of a much larger bundle and a slower
 * start, and the action's start-up time is benchmarked.
 */

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly html_url: string;
  /** Who wrote it: a `Bot` for the workflow token (`github-actions[bot]`) and apps, a `User` for a personal token. */
  readonly user?: { readonly login?: string; readonly type?: string } | null;
}

export interface CommentsApi {
  list(issue: number): Promise<IssueComment[]>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
  /** The login the token acts as; undefined when the API will not say (the workflow token cannot ask). */
  me(): Promise<string | undefined>;
}

/** A pull request associated with a commit, as far as the report back needs. */
export interface AssociatedPull {
  readonly number: number;
  /** Null for one not merged: GitHub lists open pull requests holding the commit when it is not on the default branch. */
  readonly merged_at?: string | null;
  readonly base?: { readonly ref?: string } | null;
}

export interface CommitsApi {
  /** GET /repos/{owner}/{repo}/commits/{sha}/pulls: the pull request that brought the commit to the default branch. */
  pullsOf(sha: string): Promise<AssociatedPull[]>;
}

/** An answer other than 2xx, with the status the caller decides on (403/404: a permission to add). */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiSettings {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's. */
  readonly apiUrl: string;
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const PER_PAGE = 100;
/** 100 pages of 100: far beyond any real pull request, and a bound on a misbehaving server. */
const MAX_PAGES = 100;

export function commentsApi(settings: ApiSettings): CommentsApi & CommitsApi {
  const base = settings.apiUrl.replace(/\/+$/, '');
  const [owner = '', repo = ''] = settings.repository.split('/');
  const repoPath = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const doFetch = settings.fetch ?? fetch;

  async function call(method: string, url: string, body?: unknown): Promise<{ json: unknown; link: string | null }> {
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${settings.token}`,
          'user-agent': 'pgshift-action',
          'x-github-api-version': '2022-11-28',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(settings.timeoutMs ?? 20_000),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const detail = cause ? ` (${String(cause.code ?? cause.message)})` : '';
      const reason = `${error instanceof Error ? error.message : String(error)}${detail}`;
      throw new GitHubApiError(0, `${method} ${url} failed: ${reason}`);
    }
    const textBody = await response.text();
    if (!response.ok) {
      let message = textBody.slice(0, 200);
      try {
        message = String((JSON.parse(textBody) as { message?: unknown }).message ?? message);
      } catch {
        // not JSON: keep the start of the text
      }
      throw new GitHubApiError(response.status, `${method} ${new URL(url).pathname} answered ${response.status}: ${message}`);
    }
    return { json: textBody ? JSON.parse(textBody) : null, link: response.headers.get('link') };
  }

  return {
    async list(issue) {
      const all: IssueComment[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { json, link } = await call('GET', `${repoPath}/issues/${issue}/comments?per_page=${PER_PAGE}&page=${page}`);
        const items = Array.isArray(json) ? (json as IssueComment[]) : [];
        all.push(...items);
        // The Link header says whether there is a next page; without one, a full page means maybe.
        const more = link === null ? items.length === PER_PAGE : /rel="next"/.test(link);
        if (!more || items.length === 0) break;
      }
      return all;
    },
    async create(issue, body) {
      return (await call('POST', `${repoPath}/issues/${issue}/comments`, { body })).json as IssueComment;
    },
    async update(id, body) {
      return (await call('PATCH', `${repoPath}/issues/comments/${id}`, { body })).json as IssueComment;
    },
    async pullsOf(sha) {
      const { json } = await call('GET', `${repoPath}/commits/${encodeURIComponent(sha)}/pulls?per_page=${PER_PAGE}`);
      return Array.isArray(json) ? (json as AssociatedPull[]) : [];
    },
    async me() {
      const user = await call('GET', `${base}/user`).catch(() => undefined);
      const login = (user?.json as { login?: unknown } | null | undefined)?.login;
      return typeof login === 'string' ? login : undefined;
    },
  };
}
