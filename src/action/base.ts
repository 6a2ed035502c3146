import { ensureCommit, fail, gitParents, gitRevParse, type PgshiftError } from '../index.js';
import type { EventInfo } from './event.js';

/** The commit a pull request's migrations are checked against, and how to name it. */
export interface Base {
  readonly commit: string;
  readonly name: string;
}

/**
 * On a pull request, actions/checkout checks out GitHub's merge commit of
 * the branch into its base; the merge commit's first parent is exactly the
 * base it was built from (the payload's base.sha may be older, or newer).
 * A checkout of the branch itself has one parent: then the base is the
 * payload's. A shallow checkout lacks that commit: it is fetched, or the
 * error says which fetch-depth to set.
 */
export async function pullRequestBase(event: EventInfo, given: string | undefined, cwd: string): Promise<Base> {
  const name = event.pullRequest?.baseRef ?? 'the base branch';
  if (given !== undefined) return { commit: given, name: given };
  const head = await gitRevParse('HEAD', cwd).catch((): undefined => undefined);
  if (head === undefined) throw notACheckout();
  const parents = await gitParents(head, cwd);
  const commit = parents.length === 2 ? parents[0] : event.pullRequest?.baseSha;
  if (commit === undefined) {
    throw fail('NO_BASE', 'the pull request base is not known: the checkout is not a merge commit and the event names no base commit', {
      hint: 'give the base, e.g. origin/main',
      settings: ['base'],
    });
  }
  await ensureCommit(commit, cwd);
  return { commit, name };
}

function notACheckout(): PgshiftError {
  return fail('NO_BASE', 'the workspace is not a git checkout, so the base branch cannot be read', {
    hint: 'check the repository out first: uses: actions/checkout@v4',
  });
}
