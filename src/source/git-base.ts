import { fail } from '../core/problem.js';
import { git } from './git.js';

/**
 * The commit a branch's migrations are checked against, when none is given:
 * where the branch left the remote's default branch (`git merge-base HEAD
 * origin/main`), so migrations merged to main since do not count as the
 * branch's own.
 */
export async function defaultBase(cwd?: string): Promise<string> {
  const remoteHead = await git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], cwd).catch(() => '');
  const candidates = [remoteHead.trim(), 'refs/remotes/origin/main', 'refs/remotes/origin/master'].filter(Boolean);
  for (const candidate of candidates) {
    const exists = await git(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], cwd).catch(() => '');
    if (!exists.trim()) continue;
    const base = await git(['merge-base', 'HEAD', candidate], cwd).catch(() => '');
    if (base.trim()) return base.trim();
  }
  throw fail(
    'NO_BASE',
    'no base to compare with: this checkout has no origin/HEAD, origin/main or origin/master sharing history with HEAD',
    {
      hint: 'give the base, e.g. origin/main: the branch or commit the migrations are applied from',
      settings: ['base'],
    },
  );
}

/** The parents of a commit, read from the commit object itself (present even in a shallow clone). */
export async function gitParents(commit: string, cwd?: string): Promise<string[]> {
  const text = await git(['cat-file', '-p', commit], cwd);
  return [...text.matchAll(/^parent ([0-9a-f]{40,64})$/gm)].map((m) => m[1]!);
}

/**
 * Makes sure a commit's tree is here, fetching just that commit from origin
 * when a shallow checkout lacks it. Says which fetch-depth to set when it cannot.
 */
export async function ensureCommit(commit: string, cwd?: string): Promise<void> {
  const present = await git(['cat-file', '-e', `${commit}^{tree}`], cwd).then(
    () => true,
    () => false,
  );
  if (present) return;
  const fetched = await git(['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', commit], cwd).then(
    () => true,
    () => false,
  );
  if (fetched) return;
  throw fail('NO_BASE', `the base commit ${commit.slice(0, 12)} is not in this checkout and could not be fetched from origin`, {
    hint: 'fetch it before the check: with actions/checkout, set fetch-depth: 2 (or 0 for the whole history)',
  });
}

/** The commit a name stands for. */
export async function gitRevParse(ref: string, cwd?: string): Promise<string> {
  return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)).trim();
}
