import { existsSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import type { Problem, VerifiedMigration } from '../index.js';
import type { EventInfo } from './event.js';
import type { Outcome } from './execute.js';
import { apiFromEnv, type GraphqlApi } from './github-api.js';
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
  /** The GitHub client, pointed at GITHUB_GRAPHQL_URL. */
  readonly api: GraphqlApi;
  /** `owner/name`. */
  readonly repository: string;
  readonly baseRef: string;
  /** This pull request, left out. */
  readonly number: number;
  /** The migrations directory, relative to the repository root. */
  readonly dir: string;
  readonly added: readonly VerifiedMigration[];
}

const HINT_READ = 'the check needs "permissions: pull-requests: read"; it passes or fails on the migrations alone';

/** The open pull requests into the base, with their files. Throws on a refused or failed query. */
async function openPullRequests(request: Omit<CollisionRequest, 'number' | 'added' | 'dir'>): Promise<OpenPullRequest[]> {
  const [owner = '', name = ''] = request.repository.split('/');
  const data = await request.api.graphql<{ repository?: { pullRequests?: { nodes?: OpenPullRequest[] } } }>(QUERY, {
    owner,
    name,
    base: request.baseRef,
  });
  return data.repository?.pullRequests?.nodes ?? [];
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
const normalDir = (dir: string) => posix.normalize(dir.replace(/\\/g, '/')).replace(/^\.\/|\/$/g, '');

/** Each open pull request's migration files in `dir`, with their versions. */
function migrationFiles(pulls: readonly OpenPullRequest[], dir: string) {
  const found: { version: number; path: string; pull: OpenPullRequest }[] = [];
  for (const pull of pulls) {
    for (const file of pull.files?.nodes ?? []) {
      const path = file.path ?? '';
      const match = /^(\d+)_[^/]+\.sql$/.exec(posix.basename(path));
      if (!match || posix.dirname(path) !== normalDir(dir)) continue;
      found.push({ version: Number(match[1]), path, pull });
    }
  }
  return found;
}

const named = (pull: OpenPullRequest) => `#${pull.number} (“${pull.title}”${pull.author?.login ? `, @${pull.author.login}` : ''})`;

/**
 * Warns when another open pull request into the same base adds a migration
 * with a version this one adds too: whichever merges second would have to
 * renumber. A refused or failed query is a warning of its own, never a failure.
 */
export async function versionCollisions(request: CollisionRequest): Promise<Problem[]> {
  if (request.added.length === 0) return [];
  let pulls: OpenPullRequest[];
  try {
    pulls = await openPullRequests(request);
  } catch (error) {
    return [
      problem('VERSION_IN_OTHER_PR', `could not look for other open pull requests adding the same versions (${reason(error)})`, {
        severity: 'warning',
        hint: HINT_READ,
      }),
    ];
  }
  const mine = new Map(request.added.map((m) => [m.version, m]));
  const theirs = migrationFiles(
    pulls.filter((p) => p.number !== request.number),
    request.dir,
  );
  const free = Math.max(0, ...request.added.map((m) => m.version), ...theirs.map((t) => t.version)) + 1;
  return theirs
    .filter((t) => mine.has(t.version))
    .map((t) => {
      const m = mine.get(t.version)!;
      return problem('VERSION_IN_OTHER_PR', `version ${t.version} of ${m.file} is also added by ${named(t.pull)} as ${t.path}`, {
        severity: 'warning',
        file: m.file,
        version: t.version,
        hint: `whichever merges second must be renumbered; the next free version is ${free}`,
      });
    });
}

export interface QueueCollisionRequest extends Omit<CollisionRequest, 'number' | 'added'> {
  /** The queued head's DUPLICATE_VERSION problems: two files with one version, from different pull requests. */
  readonly duplicates: readonly Problem[];
  /** Whether a path (relative to the repository root) is in the queued head's checkout. */
  readonly inHead: (path: string) => boolean;
}

/**
 * A merge queue's entry combines pull requests that were each proven alone:
 * two of them adding one version collide only here. The verify names the two
 * files; this names the pull requests that brought them (the open ones into
 * the base whose file is in the queued head), and which to renumber.
 */
export async function queueCollisions(request: QueueCollisionRequest): Promise<Problem[]> {
  const versions = new Set(request.duplicates.flatMap((p) => (p.version === undefined ? [] : [p.version])));
  if (versions.size === 0) return [];
  let files: ReturnType<typeof migrationFiles>;
  try {
    files = migrationFiles(await openPullRequests(request), request.dir).filter((f) => versions.has(f.version) && request.inHead(f.path));
  } catch (error) {
    const message = `could not look up which queued pull requests add the colliding versions (${reason(error)})`;
    return [problem('VERSION_IN_OTHER_PR', message, { severity: 'warning', hint: HINT_READ })];
  }
  return [...versions].flatMap((version) => {
    const by = files.filter((f) => f.version === version);
    if (by.length < 2) return [];
    const last = by.reduce((a, b) => (b.pull.number > a.pull.number ? b : a));
    return [
      problem('VERSION_IN_OTHER_PR', `version ${version} is added by ${by.map((f) => `${named(f.pull)} as ${f.path}`).join(' and by ')}`, {
        file: last.path,
        version,
        hint: `queued together they collide: renumber one of them (${last.path} in #${last.pull.number}, say) and queue it again`,
      }),
    ];
  });
}

/**
 * The version clashes a verify run can name: with other open pull requests
 * on a pull request; among the queued pull requests on a merge queue's entry.
 * None without a token, a repository or a verify report.
 */
export async function collisionsOf(
  event: EventInfo,
  outcome: Outcome,
  { env, token, dir }: { readonly env: Readonly<Record<string, string | undefined>>; readonly token: string; readonly dir: string },
): Promise<Problem[]> {
  if (!outcome.verify || !token || !event.repository) return [];
  const common = { api: apiFromEnv(env, token, event.repository), repository: event.repository, dir };
  if (event.pullRequest) {
    const { baseRef = '', number } = event.pullRequest;
    return versionCollisions({ ...common, baseRef, number, added: outcome.verify.migrations });
  }
  if (!event.mergeGroup?.baseRef) return [];
  const duplicates = outcome.verify.problems.filter((p) => p.code === 'DUPLICATE_VERSION');
  const root = env.GITHUB_WORKSPACE || process.cwd();
  return queueCollisions({ ...common, baseRef: event.mergeGroup.baseRef, duplicates, inHead: (path) => existsSync(resolve(root, path)) });
}
