/**
 * The base a pull request's migrations are checked against, on real
 * repositories: GitHub's merge commit, a checkout of the branch's head that
 * merged the base branch in, and shallow clones as actions/checkout makes them.
 */
import { describe, expect, it } from 'vitest';
import { pullRequestBase } from '../../src/action/base.js';
import { eventInfo, type EventInfo } from '../../src/action/event.js';
import { runCli } from '../../src/cli/run.js';
import { defaultBase } from '../../src/source/git-base.js';
import { gitSource } from '../../src/source/git.js';
import { commit, git, gitRepo } from '../support/git.js';

const UP = (t: string) => `-- UP\nCREATE TABLE ${t} (id int);\n-- DOWN\nDROP TABLE ${t};\n`;

interface History {
  readonly origin: string;
  /** main when the branch merged it in, holding main's newest migration (002). */
  readonly merged: string;
  /** main now: one more commit, without migrations. */
  readonly main: string;
  /** The branch's head: a merge of main into the branch, whose own migration is 003. */
  readonly head: string;
  /** The branch's commit before that merge: the head's first parent. */
  readonly previous: string;
}

/** main: 001; the branch adds 003 (a few commits); main adds 002; the branch merges main; main moves on. */
async function branchThatMergedMain(): Promise<History> {
  const origin = await gitRepo();
  await commit(origin, { 'migrations/001_users.sql': UP('users') });
  git(origin, 'checkout', '-q', '-b', 'feature');
  await commit(origin, { 'migrations/003_orders.sql': UP('orders') });
  for (let i = 0; i < 3; i++) await commit(origin, { [`src/f${i}.ts`]: `${i}` });
  const previous = git(origin, 'rev-parse', 'HEAD');
  git(origin, 'checkout', '-q', 'main');
  for (let i = 0; i < 3; i++) await commit(origin, { [`docs/m${i}.md`]: `${i}` });
  const merged = await commit(origin, { 'migrations/002_invoices.sql': UP('invoices') });
  git(origin, 'checkout', '-q', 'feature');
  git(origin, 'merge', '-q', '--no-ff', '-m', 'Merge main into feature', 'main');
  const head = git(origin, 'rev-parse', 'HEAD');
  git(origin, 'checkout', '-q', 'main');
  const main = await commit(origin, { 'CHANGES.md': 'main moves on' });
  return { origin, merged, main, head, previous };
}

function event(h: Pick<History, 'main' | 'head'>, extra: Partial<EventInfo> = {}): EventInfo {
  const payload = { number: 7, pull_request: { number: 7, head: { sha: h.head }, base: { ref: 'main', sha: h.main } } };
  return { ...eventInfo('pull_request', payload, { GITHUB_SHA: 'f'.repeat(40) }), ...extra };
}

const migrationsAt = async (ref: string, cwd: string) =>
  (await gitSource({ ref, dir: 'migrations', cwd }).read()).files.map((f) => f.fileName);

describe("a pull request's base", () => {
  it('is the merge base when the head itself is checked out and merged main in: main’s newest migration is the base’s, the branch’s own is new', async () => {
    const h = await branchThatMergedMain();
    git(h.origin, 'checkout', '-q', '--detach', h.head);
    expect(await gitParents(h.origin, h.head)).toEqual([h.previous, h.merged]);
    const base = await pullRequestBase(event(h), undefined, h.origin);
    expect(base).toEqual({ commit: h.merged, name: 'main' });
    expect(await migrationsAt(base.commit, h.origin)).toEqual(['001_users.sql', '002_invoices.sql']);
    expect(await migrationsAt(h.head, h.origin)).toEqual(['001_users.sql', '002_invoices.sql', '003_orders.sql']);
  });

  it("is the first parent of GitHub's merge commit, even when the payload's base.sha is older", async () => {
    const h = await branchThatMergedMain();
    git(h.origin, 'checkout', '-q', '--detach', 'main');
    git(h.origin, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', h.head);
    const merge = git(h.origin, 'rev-parse', 'HEAD');
    const older = { main: h.merged, head: h.head };
    expect(await pullRequestBase(event(older), undefined, h.origin)).toEqual({ commit: h.main, name: 'main' });
    // Known by GITHUB_SHA when the payload has no head.
    const bySha = eventInfo('pull_request', { number: 7, pull_request: { number: 7, base: { ref: 'main' } } }, { GITHUB_SHA: merge });
    expect((await pullRequestBase(bySha, undefined, h.origin)).commit).toBe(h.main);
    // pull_request_target's GITHUB_SHA is the base's tip, not a merge commit: the merge base is taken.
    const target = eventInfo(
      'pull_request_target',
      { number: 7, pull_request: { number: 7, base: { ref: 'main', sha: h.merged } } },
      {
        GITHUB_SHA: merge,
      },
    );
    expect((await pullRequestBase(target, undefined, h.origin)).commit).toBe(h.merged);
  });

  it('is fetched and found in a shallow clone of the head, as actions/checkout makes with ref: the head sha', async () => {
    const h = await branchThatMergedMain();
    const shallow = `${h.origin}-shallow`;
    git(h.origin, 'clone', '-q', '--depth=1', `file://${h.origin}`, shallow);
    git(shallow, 'fetch', '-q', '--depth=1', 'origin', h.head);
    git(shallow, 'checkout', '-q', '--detach', h.head);
    expect(git(shallow, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const base = await pullRequestBase(event(h), undefined, shallow);
    expect(base.commit).toBe(h.merged);
    expect(await migrationsAt(base.commit, shallow)).toEqual(['001_users.sql', '002_invoices.sql']);
  });

  it('is taken from origin/<base ref> when the payload has no base.sha', async () => {
    const h = await branchThatMergedMain();
    const clone = `${h.origin}-clone`;
    git(h.origin, 'clone', '-q', '--depth=1', '--branch=feature', `file://${h.origin}`, clone);
    const noSha = eventInfo('pull_request', { number: 7, pull_request: { number: 7, head: { sha: h.head }, base: { ref: 'main' } } });
    expect((await pullRequestBase(noSha, undefined, clone)).commit).toBe(h.merged);
  });
});

describe('the default base in a shallow clone (the CLI)', () => {
  it('says it is a shallow clone and how to fetch, instead of a wrong base or a git error', async () => {
    const h = await branchThatMergedMain();
    const shallow = `${h.origin}-shallow`;
    git(h.origin, 'clone', '-q', '--depth=1', '--no-single-branch', '--branch=feature', `file://${h.origin}`, shallow);
    await expect(defaultBase(shallow)).rejects.toMatchObject({
      code: 'NO_BASE',
      message: expect.stringContaining('this is a shallow clone: the merge base of HEAD with origin/main is not in it'),
      problems: [{ hint: expect.stringContaining('git fetch --unshallow') }],
    });
    await expect(gitSource({ ref: h.merged, dir: 'migrations', cwd: shallow }).read()).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringContaining('it is a shallow clone'),
    });
    // Fetching, as the action does, finds it.
    expect((await defaultBase(shallow, { fetch: true })).commit).toBe(h.merged);
  });

  it('is what pgshift verify says there, failing, with nothing fetched', async () => {
    const h = await branchThatMergedMain();
    const shallow = `${h.origin}-shallow`;
    git(h.origin, 'clone', '-q', '--depth=1', '--no-single-branch', '--branch=feature', `file://${h.origin}`, shallow);
    const err: string[] = [];
    const home = process.cwd();
    process.chdir(shallow);
    const code = await runCli(
      ['verify', '--dir', 'migrations'],
      { PATH: process.env.PATH },
      {
        stdout: () => {},
        stderr: (text) => err.push(text),
        isTTY: false,
      },
    ).finally(() => process.chdir(home));
    expect(err.join('')).toContain('this is a shallow clone: the merge base of HEAD with origin/main is not in it');
    expect(err.join('')).toContain('git fetch --unshallow');
    expect(code).toBe(1);
    expect(git(shallow, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('fetches the default branch a single-branch shallow clone lacks, when allowed to', async () => {
    const h = await branchThatMergedMain();
    const clone = `${h.origin}-clone`;
    git(h.origin, 'clone', '-q', '--depth=1', '--branch=feature', `file://${h.origin}`, clone);
    await expect(defaultBase(clone)).rejects.toMatchObject({ message: expect.stringContaining('shallow clone') });
    expect((await defaultBase(clone, { fetch: true, defaultBranch: 'main' })).commit).toBe(h.merged);
  });
});

async function gitParents(cwd: string, commitId: string): Promise<string[]> {
  return git(cwd, 'rev-list', '--parents', '-n1', commitId).split(' ').slice(1);
}
