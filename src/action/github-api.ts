/**
 * Every GitHub call the action makes, through @actions/github's Octokit (the
 * one file that imports it): GITHUB_API_URL for GitHub Enterprise Server,
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY through @actions/http-client's proxy
 * agent (getOctokit's defaults, checked on @actions/github 9.1.1: the agent
 * is chosen for GITHUB_API_URL when the module loads), pagination, and the
 * retries below. It is loaded on the first call (about 40 ms of CPU on a
 * runner-sized machine): a run that talks to no one does not pay for it.
 */
import type { getOctokit } from '@actions/github';

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

export interface GraphqlApi {
  /** One GraphQL query, at GITHUB_GRAPHQL_URL (else the REST URL's /graphql). */
  graphql<T>(query: string, variables: Readonly<Record<string, unknown>>): Promise<T>;
}

/** An answer other than 2xx, with the status the caller decides on (403/404: a permission to add); 0 when none came. */
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
  /** GITHUB_GRAPHQL_URL; the REST URL's /graphql when not given. */
  readonly graphqlUrl?: string;
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  /** Each attempt's deadline. */
  readonly timeoutMs?: number;
  /** The first retry's wait, doubled each time (tests shorten it). */
  readonly retryDelayMs?: number;
}

const PER_PAGE = 100;
/** 100 pages of 100: far beyond any real pull request, and a bound on a misbehaving server. */
const MAX_PAGES = 100;
/** Attempts after the first, on a 5xx, no answer, or a secondary rate limit. */
const RETRIES = 3;
/** A rate limit asking for a longer wait than this is not waited for: the comment is not worth holding the job. */
const MAX_WAIT_MS = 60_000;

type Octokit = ReturnType<typeof getOctokit>;

export function gitHubApi(settings: ApiSettings): CommentsApi & CommitsApi & GraphqlApi {
  const baseUrl = settings.apiUrl.replace(/\/+$/, '');
  const [owner = '', repo = ''] = settings.repository.split('/');
  let client: Promise<Octokit> | undefined;
  const octokit = () =>
    (client ??= import('@actions/github').then(({ getOctokit }) => {
      const made = getOctokit(settings.token, { baseUrl, userAgent: 'pgshift-action' });
      withRetries(made, settings);
      return made;
    }));
  const graphqlUrl = settings.graphqlUrl || `${baseUrl}/graphql`;
  const issue = (n: number) => ({ owner, repo, issue_number: n });

  return {
    list: (n) =>
      call('GET comments', async () => {
        const all: IssueComment[] = [];
        let pages = 0;
        const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments' as const;
        for await (const page of (await octokit()).paginate.iterator(route, { ...issue(n), per_page: PER_PAGE })) {
          all.push(...(page.data as IssueComment[]));
          if (++pages >= MAX_PAGES) break;
        }
        return all;
      }),
    create: (n, body) =>
      call('POST comment', async () => (await (await octokit()).rest.issues.createComment({ ...issue(n), body })).data as IssueComment),
    update: (id, body) =>
      call(
        'PATCH comment',
        async () => (await (await octokit()).rest.issues.updateComment({ owner, repo, comment_id: id, body })).data as IssueComment,
      ),
    me: async () => {
      const user = await (await octokit()).rest.users.getAuthenticated().catch(() => undefined);
      return typeof user?.data.login === 'string' ? user.data.login : undefined;
    },
    pullsOf: (sha) =>
      call('GET commit pulls', async () => {
        const { data } = await (
          await octokit()
        ).rest.repos.listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: sha,
          per_page: PER_PAGE,
        });
        return data as AssociatedPull[];
      }),
    graphql: <T>(query: string, variables: Readonly<Record<string, unknown>>) =>
      call('POST graphql', async () => {
        // A request, not octokit.graphql: that derives its URL from the REST one, and GITHUB_GRAPHQL_URL is what counts.
        const { data } = await (await octokit()).request(`POST ${graphqlUrl}`, { query, variables });
        const answer = data as { data?: T; errors?: readonly { message?: string }[] };
        if (answer.errors?.length) throw new Error(answer.errors[0]?.message ?? 'the query was refused');
        return answer.data as T;
      }),
  };
}

/** The Octokit error as a GitHubApiError: its status (0 when no answer came) and its message, never the token. */
async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { status?: unknown; response?: unknown; message?: unknown; errors?: { message?: string }[] };
    const status = typeof e.status === 'number' && e.response !== undefined ? e.status : 0;
    const message = e.errors?.[0]?.message ?? (typeof e.message === 'string' ? e.message : String(error));
    throw new GitHubApiError(status, `${what} ${status === 0 ? 'failed' : `answered ${status}`}: ${message}`);
  }
}

/**
 * Retries a request on a 5xx, on no answer at all, and on a secondary rate
 * limit (403 or 429 with retry-after, or with no requests remaining),
 * waiting as GitHub asks or doubling from one second; each attempt has its
 * own deadline.
 */
function withRetries(octokit: Octokit, settings: ApiSettings): void {
  const first = settings.retryDelayMs ?? 1_000;
  const timeoutMs = settings.timeoutMs ?? 20_000;
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request({ ...options, request: { ...options.request, signal: AbortSignal.timeout(timeoutMs) } });
      } catch (error) {
        const wait = retryWait(error, first * 2 ** attempt);
        if (attempt >= RETRIES || wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  });
}

function retryWait(error: unknown, backoff: number): number | undefined {
  const e = error as { status?: unknown; response?: { headers?: Record<string, string | undefined> }; cause?: unknown };
  if (e.response === undefined) {
    // No such host, nothing listening: the URL or the proxy settings are wrong, and waiting will not change that.
    const code = causeCode(e.cause);
    return code === 'ENOTFOUND' || code === 'ECONNREFUSED' || code === 'EAI_AGAIN' ? undefined : backoff;
  }
  const status = typeof e.status === 'number' ? e.status : 0;
  if (status >= 500) return backoff;
  if (status !== 403 && status !== 429) return undefined;
  const headers = e.response.headers ?? {};
  const after = Number(headers['retry-after']);
  if (Number.isFinite(after) && after >= 0) return after * 1_000 <= MAX_WAIT_MS ? Math.max(after * 1_000, backoff) : undefined;
  if (headers['x-ratelimit-remaining'] === '0') {
    const until = Number(headers['x-ratelimit-reset']) * 1_000 - Date.now();
    return Number.isFinite(until) && until <= MAX_WAIT_MS ? Math.max(until, backoff) : undefined;
  }
  // A 403 without a limit's headers is a permission: not retried.
  return undefined;
}

/** The same client, as the comment's publication names it. */
export const commentsApi = gitHubApi;

/** The client for a run, from the runner's variables. */
export function apiFromEnv(env: Readonly<Record<string, string | undefined>>, token: string, repository: string) {
  return gitHubApi({
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    ...(env.GITHUB_GRAPHQL_URL && { graphqlUrl: env.GITHUB_GRAPHQL_URL }),
    token,
    repository,
  });
}

/** The system error code under fetch's "fetch failed" (undici puts it one or two causes down). */
function causeCode(cause: unknown): string | undefined {
  for (let c = cause, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
