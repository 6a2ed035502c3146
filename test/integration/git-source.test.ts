import { rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBase, gitParents, hasCommit } from '../../src/source/git-base.js';
import { gitSource } from '../../src/source/git.js';
import { commit, git, gitRepo } from '../support/git.js';

const UP = (t: string) => `-- UP\nCREATE TABLE ${t} (id int);\n-- DOWN\nDROP TABLE ${t};\n`;

describe('reading migrations from a commit with git', () => {
  it('reads the directory as it is at the commit, not as the working tree has it', async () => {
    const repo = await gitRepo();
    const first = await commit(repo, { 'db/migrations/001_a.sql': UP('a'), 'db/migrations/notes.md': 'x' });
    await writeFile(join(repo, 'db/migrations/001_a.sql'), UP('changed'));
    await writeFile(join(repo, 'db/migrations/002_b.sql'), UP('b'));
    const listing = await gitSource({ ref: first, dir: 'db/migrations', cwd: repo }).read();
    expect(listing.problems).toEqual([]);
    expect(listing.files.map((f) => [f.path, f.text])).toEqual([['db/migrations/001_a.sql', UP('a')]]);
    expect(git(repo, 'status', '--porcelain')).toContain('002_b.sql');
  });

  it('checksums exactly as the directory source does (CRLF normalised)', async () => {
    const repo = await gitRepo();
    const ref = await commit(repo, { 'm/001_a.sql': UP('a').replace(/\n/g, '\r\n') });
    const [file] = (await gitSource({ ref, dir: 'm', cwd: repo }).read()).files;
    const { directorySource } = await import('../../src/source/directory.js');
    const [disk] = (await directorySource(join(repo, 'm')).read()).files;
    expect(file?.checksum).toBe(disk?.checksum);
  });

  it('takes a commit without the directory as no migrations', async () => {
    const repo = await gitRepo();
    const ref = await commit(repo, { 'README.md': 'hello' });
    expect(await gitSource({ ref, dir: 'migrations', cwd: repo }).read()).toEqual({ files: [], problems: [] });
  });

  it('follows a link to a file in the same directory, and refuses one that leads outside it', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'm/001_a.sql': UP('a'), 'secret.txt': 'password=hunter2' });
    await symlink('001_a.sql', join(repo, 'm/002_same.sql'));
    await symlink('../secret.txt', join(repo, 'm/003_leak.sql'));
    const ref = await commit(repo, {});
    const listing = await gitSource({ ref, dir: 'm', cwd: repo }).read();
    expect(listing.files.map((f) => [f.fileName, f.text])).toEqual([
      ['001_a.sql', UP('a')],
      ['002_same.sql', UP('a')],
    ]);
    expect(listing.problems).toMatchObject([{ code: 'FILE_UNREADABLE', file: 'm/003_leak.sql' }]);
    expect(JSON.stringify(listing)).not.toContain('hunter2');
  });

  it('names a missing commit in a clear error', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'a.txt': 'a' });
    await expect(gitSource({ ref: 'no-such-branch', dir: 'm', cwd: repo }).read()).rejects.toMatchObject({ code: 'GIT_FAILED' });
  });
});

describe('finding the base', () => {
  it('defaults to where the branch left the remote default branch', async () => {
    const origin = await gitRepo();
    const forked = await commit(origin, { 'm/001_a.sql': UP('a') });
    const clone = `${origin}-clone`;
    git(origin, 'clone', '-q', origin, clone);
    git(clone, 'checkout', '-q', '-b', 'feature');
    await commit(clone, { 'm/002_b.sql': UP('b') });
    await commit(origin, { 'm/003_c.sql': UP('c') });
    git(clone, 'fetch', '-q');
    expect(await defaultBase(clone)).toEqual({ commit: forked, ref: 'origin/main' });
  });

  it('falls back to the local main when there is no remote, and names it', async () => {
    const repo = await gitRepo();
    const forked = await commit(repo, { 'm/001_a.sql': UP('a') });
    git(repo, 'checkout', '-q', '-b', 'feature');
    await commit(repo, { 'm/002_b.sql': UP('b') });
    expect(await defaultBase(repo)).toEqual({ commit: forked, ref: 'main' });
  });

  it('says how to give one when there is no remote and HEAD is the default branch itself', async () => {
    const repo = await gitRepo();
    await commit(repo, { 'a.txt': 'a' });
    await expect(defaultBase(repo)).rejects.toMatchObject({ code: 'NO_BASE', problems: [{ settings: ['base'] }] });
  });

  it('reads the parents of a merge commit, and fetches a base a shallow clone lacks', async () => {
    const origin = await gitRepo();
    const base = await commit(origin, { 'm/001_a.sql': UP('a') });
    git(origin, 'checkout', '-q', '-b', 'feature');
    const head = await commit(origin, { 'm/002_b.sql': UP('b') });
    git(origin, 'checkout', '-q', 'main');
    await commit(origin, { 'other.txt': 'x' });
    git(origin, 'merge', '-q', '--no-ff', '-m', 'merge', 'feature');
    const merge = git(origin, 'rev-parse', 'HEAD');
    const parents = await gitParents(merge, origin);
    expect(parents[1]).toBe(head);
    const shallow = `${origin}-shallow`;
    git(origin, 'clone', '-q', '--depth=1', `file://${origin}`, shallow);
    await expect(gitSource({ ref: base, dir: 'm', cwd: shallow }).read()).rejects.toMatchObject({ code: 'GIT_FAILED' });
    expect(await hasCommit(base, shallow)).toBe(true);
    expect((await gitSource({ ref: base, dir: 'm', cwd: shallow }).read()).files.map((f) => f.fileName)).toEqual(['001_a.sql']);
    await rm(shallow, { recursive: true });
    expect(await hasCommit('0'.repeat(40), origin)).toBe(false);
  });
});
