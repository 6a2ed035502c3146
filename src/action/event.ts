import { fail } from '../frontend/problems.js';
import type { ActionCommand } from './inputs.js';

/** What the action needs of the triggering event. */
export interface EventInfo {
  readonly name: string;
  /** `refs/heads/main` for a push. */
  readonly ref?: string;
  readonly defaultBranch?: string;
  /** `owner/name`. */
  readonly repository?: string;
  /** GITHUB_SHA: on a pull request, GitHub's merge commit (refs/pull/N/merge); on pull_request_target, the base's tip. */
  readonly sha?: string;
  readonly pullRequest?: {
    readonly number: number;
    readonly headSha?: string;
    /** The base branch (`main`) and the commit it was at when the event fired. */
    readonly baseRef?: string;
    readonly baseSha?: string;
  };
  /** A merge queue's entry: the queued head (the base with the pull requests ahead of it and this one merged) and its base. */
  readonly mergeGroup?: {
    readonly headSha?: string;
    readonly baseSha?: string;
    /** The target branch, without `refs/heads/`. */
    readonly baseRef?: string;
  };
  /** A push: the commits it brought, oldest first, ending with the pushed tip (`after`). */
  readonly pushed?: readonly string[];
}

/** Events whose workflow runs for a pull request, with the PR's (possibly a fork's) code checked out. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export function isPullRequestEvent(event: EventInfo): boolean {
  return PULL_REQUEST_EVENTS.has(event.name);
}

/**
 * Code that is not merged yet: a pull request's, or a merge queue's entry
 * (`merge_group`). It is verified, never applied, and reads the config file
 * as its base commit has it.
 */
export function isUnmergedEvent(event: EventInfo): boolean {
  return isPullRequestEvent(event) || event.name === 'merge_group';
}

/** Picks the fields used from a webhook payload, tolerating any of them missing. */
export function eventInfo(name: string, payload: unknown, env: Readonly<Record<string, string | undefined>> = {}): EventInfo {
  const p = (payload ?? {}) as {
    ref?: unknown;
    number?: unknown;
    repository?: { default_branch?: unknown; full_name?: unknown };
    pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { ref?: unknown; sha?: unknown } };
    merge_group?: { head_sha?: unknown; base_sha?: unknown; base_ref?: unknown };
    after?: unknown;
    commits?: unknown;
    head_commit?: { id?: unknown } | null;
  };
  const number = typeof p.pull_request?.number === 'number' ? p.pull_request.number : typeof p.number === 'number' ? p.number : undefined;
  const ref = text(p.ref) ?? text(env.GITHUB_REF);
  const defaultBranch = text(p.repository?.default_branch);
  const repository = text(env.GITHUB_REPOSITORY) ?? text(p.repository?.full_name);
  const sha = text(env.GITHUB_SHA);
  const headSha = text(p.pull_request?.head?.sha);
  const baseRef = text(p.pull_request?.base?.ref);
  const baseSha = text(p.pull_request?.base?.sha);
  const mergeGroup = name === 'merge_group' ? mergeGroupOf(p.merge_group) : undefined;
  const pushed = name === 'push' ? pushedCommits(p) : undefined;
  return {
    name,
    ...(ref !== undefined && { ref }),
    ...(defaultBranch !== undefined && { defaultBranch }),
    ...(repository !== undefined && { repository }),
    ...(sha !== undefined && { sha }),
    ...(number !== undefined && {
      pullRequest: {
        number,
        ...(headSha !== undefined && { headSha }),
        ...(baseRef !== undefined && { baseRef }),
        ...(baseSha !== undefined && { baseSha }),
      },
    }),
    ...(mergeGroup && { mergeGroup }),
    ...(pushed && pushed.length > 0 && { pushed }),
  };
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const SHA = /^[0-9a-f]{40}$/;

function mergeGroupOf(group: { head_sha?: unknown; base_sha?: unknown; base_ref?: unknown } | undefined): EventInfo['mergeGroup'] {
  const headSha = text(group?.head_sha);
  const baseSha = text(group?.base_sha);
  const baseRef = text(group?.base_ref)?.replace(/^refs\/heads\//, '');
  return {
    ...(headSha !== undefined && { headSha }),
    ...(baseSha !== undefined && { baseSha }),
    ...(baseRef !== undefined && { baseRef }),
  };
}

/** The pushed commits' ids (the payload lists at most 2,048), the tip last; only well-formed ids, as they go into API paths. */
function pushedCommits(p: { after?: unknown; commits?: unknown; head_commit?: { id?: unknown } | null }): string[] {
  const listed = Array.isArray(p.commits) ? p.commits.map((c) => text((c as { id?: unknown } | null)?.id)) : [];
  const ids = [...listed, text(p.head_commit?.id), text(p.after)].filter((id): id is string => id !== undefined && SHA.test(id));
  return [...new Set(ids)];
}

export interface CommandChoice {
  readonly command: ActionCommand;
  /** Why this command, for the log and the summary. */
  readonly reason: string;
}

/**
 * `auto`: a pull request gets `verify` (never an apply), a push to the default
 * branch `migrate`, anything else `status`. An explicit migrate or rollback
 * on a pull-request event is refused unless allowed: it would change the
 * database with code nobody has reviewed or merged yet.
 */
export function chooseCommand(requested: ActionCommand | 'auto', event: EventInfo, allowApplyOnPullRequest: boolean): CommandChoice {
  if (requested !== 'auto') {
    if ((requested === 'migrate' || requested === 'rollback') && isUnmergedEvent(event) && !allowApplyOnPullRequest) {
      throw fail(
        'USAGE',
        `refusing to ${requested} on a ${event.name} event: it would change the database from a pull request before it is reviewed and merged; use command: verify (or auto) for pull requests, or set allow-apply-on-pull-request: true if the database is a throwaway one`,
      );
    }
    return { command: requested, reason: `command: ${requested}` };
  }
  if (isUnmergedEvent(event)) return { command: 'verify', reason: `auto: ${event.name} → verify` };
  if (event.name === 'push') {
    const branch = event.ref?.startsWith('refs/heads/') ? event.ref.slice('refs/heads/'.length) : undefined;
    if (branch !== undefined && event.defaultBranch !== undefined && branch === event.defaultBranch) {
      return { command: 'migrate', reason: `auto: push to the default branch ${branch} → migrate` };
    }
    const what = branch === undefined ? `push to ${event.ref ?? 'an unknown ref'}` : `push to ${branch}`;
    const why = event.defaultBranch === undefined ? 'the default branch is not known' : `not the default branch ${event.defaultBranch}`;
    return { command: 'status', reason: `auto: ${what} (${why}) → status` };
  }
  return { command: 'status', reason: `auto: ${event.name || 'unknown event'} → status` };
}
