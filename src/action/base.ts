import type { PgshiftError } from '../index.js';
import { fail } from '../frontend/problems.js';
import { gitParents, gitRevParse, hasCommit, mergeBase, remoteBranch, type Base } from '../frontend/verify.js';
import type { EventInfo } from './event.js';

/**
 * The base of a pull request's check: where its branch and the base branch
 * meet, so that only the branch's own migrations count as new.
 *
 * actions/checkout checks out GitHub's merge commit of the branch into its
 * base (refs/pull/N/merge, GITHUB_SHA): its first parent is exactly the base
 * it was built from (the payload's base.sha may be older, or newer). Any
 * other checkout, the branch's head itself say, is not trusted to name its
 * base: a head that merged the base branch in has the branch's previous
 * commit as its first parent, which would count the base's newest migrations
 * as the pull request's own. Its base is `git merge-base HEAD <base.sha>`
 * (else origin/<base ref>). A shallow checkout is deepened from origin until
 * that merge base is found, or the error says it is shallow and how to fetch.
 */
export async function pullRequestBase(event: EventInfo, given: string | undefined, cwd: string): Promise<Base> {
  if (given !== undefined) return { commit: given, name: given };
  if (event.mergeGroup) return mergeGroupBase(event.mergeGroup, cwd);
  const name = event.pullRequest?.baseRef ?? 'the base branch';
  const head = await gitRevParse('HEAD', cwd).catch((): undefined => undefined);
  if (head === undefined) throw notACheckout();
  const parents = await gitParents(head, cwd);
  if (parents.length === 2 && isGitHubMerge(event, head, parents[1]!)) {
    const first = parents[0]!;
    if (!(await hasCommit(first, cwd))) throw unreachable(first);
    return { commit: first, name };
  }
  const target = await baseTip(event, cwd);
  return { commit: await mergeBase(head, target, { cwd, fetch: true }), name };
}

/**
 * A merge queue's entry is its base branch's commit (base_sha) with the pull
 * requests queued ahead of it and its own merged on top: everything between
 * the two is new, so the combination of all of them is what is proven.
 */
async function mergeGroupBase(group: NonNullable<EventInfo['mergeGroup']>, cwd: string): Promise<Base> {
  const name = group.baseRef ?? 'the base branch';
  if (group.baseSha !== undefined) {
    if (!(await hasCommit(group.baseSha, cwd))) throw unreachable(group.baseSha);
    return { commit: group.baseSha, name };
  }
  const tip = group.baseRef === undefined ? undefined : await remoteBranch(group.baseRef, cwd);
  if (tip !== undefined) return { commit: tip, name };
  throw fail('NO_BASE', 'the merge queue entry names no base commit (merge_group.base_sha) and its base branch cannot be fetched', {
    hint: 'give the base, e.g. origin/main',
    settings: ['base'],
  });
}

/**
 * GitHub's merge commit: its second parent is the pull request's head, or it
 * is the workflow's commit on an event where that is the merge commit
 * (pull_request_target's GITHUB_SHA is the base branch's tip instead).
 */
function isGitHubMerge(event: EventInfo, head: string, second: string): boolean {
  const headSha = event.pullRequest?.headSha;
  if (headSha !== undefined) return second === headSha;
  return event.sha !== undefined && head === event.sha && event.name !== 'pull_request_target';
}

/** The base branch's commit: the payload's base.sha, else origin/<base ref>, fetched when the checkout lacks it. */
async function baseTip(event: EventInfo, cwd: string): Promise<string> {
  const { baseSha, baseRef } = event.pullRequest ?? {};
  if (baseSha !== undefined && (await hasCommit(baseSha, cwd))) return baseSha;
  const tip = baseRef === undefined ? undefined : await remoteBranch(baseRef, cwd);
  if (tip !== undefined) return tip;
  if (baseSha !== undefined) throw unreachable(baseSha);
  throw fail(
    'NO_BASE',
    'the pull request base is not known: the checkout is not GitHub’s merge commit and the event names no base commit',
    {
      hint: 'give the base, e.g. origin/main',
      settings: ['base'],
    },
  );
}

function unreachable(commit: string): PgshiftError {
  return fail('NO_BASE', `the base commit ${commit.slice(0, 12)} is not in this checkout and could not be fetched from origin`, {
    hint: 'fetch it before the check: with actions/checkout, set fetch-depth: 0 (the whole history)',
  });
}

function notACheckout(): PgshiftError {
  return fail('NO_BASE', 'the workspace is not a git checkout, so the base branch cannot be read', {
    hint: 'check the repository out first: uses: actions/checkout@v4',
  });
}
