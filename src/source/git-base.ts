import { PgshiftError, fail } from '../core/problem.js';
import { git, isShallowClone } from './git.js';

/** Where to look for a base, and whether a shallow clone may be deepened from origin to find it. */
export interface BaseSearchOptions {
  /** Where git runs. Default: the process's directory. */
  readonly cwd?: string;
  /**
   * Fetch from origin what a shallow clone lacks (the base branch, older
   * history) until the merge base is found, a bounded number of times. The
   * action does; the CLI does not change the user's clone, and instead says
   * how to fetch. Default: false.
   */
  readonly fetch?: boolean;
  /** The default branch's name when known (the event's), tried before origin/HEAD, main and master. */
  readonly defaultBranch?: string;
}

/** The base a branch is checked against when none is given, and the branch it was found from, to name it by. */
export interface DefaultBase {
  readonly commit: string;
  /** `origin/main`, or a local `main` when there is no origin. */
  readonly ref: string;
}

/**
 * The commit a branch's migrations are checked against, when none is given:
 * where the branch left the remote's default branch (`git merge-base HEAD
 * origin/main`), so migrations merged to main since do not count as the
 * branch's own; without an origin, where it left a local `main` or
 * `master`. A shallow clone is never answered with a wrong base: it is
 * deepened (with `fetch`) or the error says it is shallow and how to fetch.
 */
export async function defaultBase(cwd?: string, options: Omit<BaseSearchOptions, 'cwd'> = {}): Promise<DefaultBase> {
  const search = { ...options, ...(cwd !== undefined && { cwd }) };
  const remoteHead = await git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], cwd).catch(() => '');
  const branches = [options.defaultBranch, 'main', 'master'].filter((b): b is string => Boolean(b));
  const candidates = [
    ...(options.defaultBranch ? [`refs/remotes/origin/${options.defaultBranch}`] : []),
    remoteHead.trim(),
    'refs/remotes/origin/main',
    'refs/remotes/origin/master',
    // No origin (a clone of a clone, a repository made here): the local default branch.
    ...branches.map((b) => `refs/heads/${b}`),
  ].filter(Boolean);
  // A shallow clone is often of one branch only: the default branch is fetched when it is not here.
  if (options.fetch && (await isShallowClone(cwd)) && !(await anyExists(candidates, cwd))) {
    for (const branch of branches) if (await fetchBranch(branch, cwd)) break;
  }
  let tried: string | undefined;
  const head = await gitRevParse('HEAD', cwd).catch(() => '');
  for (const candidate of candidates) {
    if (!(await exists(candidate, cwd))) continue;
    // The branch checked out is no base for itself.
    if (candidate.startsWith('refs/heads/') && (await gitRevParse(candidate, cwd).catch(() => '')) === head) continue;
    tried ??= candidate.replace(/^refs\/remotes\//, '');
    const base = await mergeBase('HEAD', candidate, search).catch((error: unknown) => {
      if (error instanceof PgshiftError && error.code === 'NO_BASE') return undefined;
      throw error;
    });
    if (base !== undefined) return { commit: base, ref: candidate.replace(/^refs\/(remotes|heads)\//, '') };
  }
  if (await isShallowClone(cwd)) throw shallowError(tried ?? `origin/${options.defaultBranch ?? 'main'}`, options.fetch === true);
  throw fail(
    'NO_BASE',
    'no base to compare with: this checkout has no origin/HEAD, origin/main, origin/master, main or master sharing history with HEAD',
    {
      hint: 'give the base, e.g. origin/main: the branch or commit the migrations are applied from',
      settings: ['base'],
    },
  );
}

/** The most histories a shallow clone is deepened by, one after the other (commits from its current edge). */
const DEEPEN_STEPS = [50, 500, 5000] as const;

/**
 * The best common ancestor of two commits (`git merge-base`). In a shallow
 * clone the history is fetched deeper from origin (with `fetch`) until they
 * meet, at most {@link DEEPEN_STEPS} times. Throws NO_BASE when they share no
 * history here, saying so for a shallow clone.
 */
export async function mergeBase(head: string, base: string, options: BaseSearchOptions = {}): Promise<string> {
  const { cwd } = options;
  const find = async () => (await git(['merge-base', head, base], cwd).catch(() => '')).trim() || undefined;
  let found = await find();
  if (found !== undefined) return found;
  if (options.fetch && (await isShallowClone(cwd))) {
    const tips = [await gitRevParse(head, cwd), await gitRevParse(base, cwd)];
    for (const depth of DEEPEN_STEPS) {
      const fetched = await git(['fetch', '--no-tags', '--quiet', `--deepen=${depth}`, 'origin', ...tips], cwd).then(
        () => true,
        () => false,
      );
      if (!fetched) break;
      found = await find();
      if (found !== undefined) return found;
      if (!(await isShallowClone(cwd))) break;
    }
  }
  if (await isShallowClone(cwd)) throw shallowError(base, options.fetch === true);
  throw fail('NO_BASE', `${head} and ${base} share no history: there is no merge base to check the migrations against`, {
    hint: 'give the base, e.g. origin/main: the branch or commit the migrations are applied from',
    settings: ['base'],
  });
}

function shallowError(base: string, fetched: boolean): PgshiftError {
  const what = fetched ? 'and fetching deeper from origin did not reach it' : 'so the history that holds it is missing';
  const branch = /^origin\/(.+)$/.exec(base)?.[1];
  const other = branch ? `, and git fetch origin ${branch}:refs/remotes/origin/${branch} when the clone has one branch only` : '';
  return fail('NO_BASE', `this is a shallow clone: the merge base of HEAD with ${base} is not in it, ${what}`, {
    hint: `fetch the whole history (git fetch --unshallow${other}); with actions/checkout, set fetch-depth: 0`,
  });
}

/** The parents of a commit, read from the commit object itself (present even in a shallow clone). */
export async function gitParents(commit: string, cwd?: string): Promise<string[]> {
  const text = await git(['cat-file', '-p', commit], cwd);
  return [...text.matchAll(/^parent ([0-9a-f]{40,64})$/gm)].map((m) => m[1]!);
}

/** True when the commit's tree is here, after fetching just that commit from origin when it was not. */
export async function hasCommit(commit: string, cwd?: string): Promise<boolean> {
  const present = await git(['cat-file', '-e', `${commit}^{tree}`], cwd).then(
    () => true,
    () => false,
  );
  if (present) return true;
  return git(['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', commit], cwd).then(
    () => true,
    () => false,
  );
}

/** The commit a name stands for. */
export async function gitRevParse(ref: string, cwd?: string): Promise<string> {
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)).trim();
}

async function exists(ref: string, cwd?: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd).catch(() => '')).trim() !== '';
}

async function anyExists(refs: readonly string[], cwd?: string): Promise<boolean> {
  for (const ref of refs) if (await exists(ref, cwd)) return true;
  return false;
}

/** Fetches a branch's tip from origin as its remote-tracking branch; false when origin has no such branch. */
async function fetchBranch(branch: string, cwd?: string): Promise<boolean> {
  const refspec = `+refs/heads/${branch}:refs/remotes/origin/${branch}`;
  return git(['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', refspec], cwd).then(
    () => true,
    () => false,
  );
}

/** The commit of origin/<branch>, its tip fetched (into origin/<branch>) when the checkout lacks it; undefined when origin has none. */
export async function remoteBranch(branch: string, cwd?: string): Promise<string | undefined> {
  const tracking = `refs/remotes/origin/${branch}`;
  if (!(await exists(tracking, cwd)) && !(await fetchBranch(branch, cwd))) return undefined;
  return gitRevParse(tracking, cwd).catch((): undefined => undefined);
}
