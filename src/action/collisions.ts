import { posix } from 'node:path';
import type { Problem, VerifiedMigration } from '../index.js';
import { problem } from '../frontend/problems.js';

/** Another open pull request, as far as a version clash needs. */
interface OpenPullRequest {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly author?: { readonly login?: string } | null;
  readonly files?: { readonly nodes?: readonly { readonly path?: string }[] | null } | null;
}

/** One query for the open pull requests into the same base and the files each touches (about 1 point of the token's 1,000 an hour). */
const QUERY = `query($owner: String!, $name: String!, $base: String!) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, baseRefName: $base, first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes { number title url author { login } files(first: 100) { nodes { path } } }
    }
  }
}`;

export interface CollisionRequest {
  /** GITHUB_GRAPHQL_URL, or the REST URL's /graphql. */
  readonly graphqlUrl: string;
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly baseRef: string;
  /** This pull request, left out. */
  readonly number: number;
  /** The migrations directory, relative to the repository root. */
  readonly dir: string;
  readonly added: readonly VerifiedMigration[];
  readonly fetch?: typeof fetch;
}

/**
 * Warns when another open pull request into the same base adds a migration
 * with a version this one adds too: whichever merges second would have to
 * renumber. A refused or failed query is a warning of its own, never a failure.
 */
export async function versionCollisions(request: CollisionRequest): Promise<Problem[]> {
  if (request.added.length === 0) return [];
  const [owner = '', name = ''] = request.repository.split('/');
  let pulls: OpenPullRequest[];
  try {
    const response = await (request.fetch ?? fetch)(request.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json', 'user-agent': 'pgshift-action' },
      body: JSON.stringify({ query: QUERY, variables: { owner, name, base: request.baseRef } }),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await response.json().catch(() => ({}))) as {
      data?: { repository?: { pullRequests?: { nodes?: OpenPullRequest[] } } };
      errors?: { message?: string }[];
      message?: string;
    };
    if (!response.ok || json.errors)
      throw new Error(`${response.status}: ${json.errors?.[0]?.message ?? json.message ?? response.statusText}`);
    pulls = json.data?.repository?.pullRequests?.nodes ?? [];
  } catch (error) {
    return [
      problem(
        'VERSION_IN_OTHER_PR',
        `could not look for other open pull requests adding the same versions (${error instanceof Error ? error.message : String(error)})`,
        {
          severity: 'warning',
          hint: 'the check needs "permissions: pull-requests: read"; it passes or fails on the migrations alone',
        },
      ),
    ];
  }
  const dir = posix.normalize(request.dir.replace(/\\/g, '/')).replace(/^\.\/|\/$/g, '');
  const mine = new Map(request.added.map((m) => [m.version, m]));
  const theirs: { version: number; path: string; pull: OpenPullRequest }[] = [];
  for (const pull of pulls) {
    if (pull.number === request.number) continue;
    for (const file of pull.files?.nodes ?? []) {
      const path = file.path ?? '';
      const match = /^(\d+)_[^/]+\.sql$/.exec(posix.basename(path));
      if (!match || posix.dirname(path) !== dir) continue;
      theirs.push({ version: Number(match[1]), path, pull });
    }
  }
  const free = Math.max(0, ...request.added.map((m) => m.version), ...theirs.map((t) => t.version)) + 1;
  return theirs
    .filter((t) => mine.has(t.version))
    .map((t) => {
      const m = mine.get(t.version)!;
      const who = t.pull.author?.login ? `, @${t.pull.author.login}` : '';
      return problem(
        'VERSION_IN_OTHER_PR',
        `version ${t.version} of ${m.file} is also added by #${t.pull.number} (“${t.pull.title}”${who}) as ${t.path}`,
        {
          severity: 'warning',
          file: m.file,
          version: t.version,
          hint: `whichever merges second must be renumbered; the next free version is ${free}`,
        },
      );
    });
}
