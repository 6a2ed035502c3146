import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs git in `cwd` with a fixed identity and no user configuration, returning stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

/** Every repository made here (and its clones beside it), removed when the test process ends. */
const repos: string[] = [];
process.once('exit', () => {
  for (const repo of repos) for (const suffix of ['', '-clone', '-shallow']) rmSync(repo + suffix, { recursive: true, force: true });
});

/** A new repository in a temporary directory, on branch main, with nothing committed. */
export async function gitRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pgshift-git-'));
  repos.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

/** Writes the files (path → content) and commits them all. Returns the commit. */
export async function commit(repo: string, files: Record<string, string>, message = 'change'): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}
