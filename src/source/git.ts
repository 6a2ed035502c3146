import { execFile, spawn } from 'node:child_process';
import { join, posix, relative as relativePath, sep } from 'node:path';
import type { MigrationSource } from '../core/ports.js';
import { fail, problem, type PgshiftError, type Problem } from '../core/problem.js';
import { readEntries, type FileEntry } from './migration-files.js';

/** Where to read with git: the repository the directory is in, and which commit. */
export interface GitSourceOptions {
  /** A commit, branch or tag: `origin/main`, a SHA. */
  readonly ref: string;
  /** The migrations directory, as given (relative to `cwd`). */
  readonly dir: string;
  /** Where git runs; the directory is relative to it. Default: the process's. */
  readonly cwd?: string;
}

/** Runs git and returns its stdout; a PgshiftError (GIT_FAILED) with git's own words when it fails. */
export function git(args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const said = String(stderr).trim().split('\n').at(-1) ?? '';
      reject(
        fail('GIT_FAILED', missing ? 'git is not installed (or not on PATH)' : `git ${args[0]} failed: ${said || error.message}`, {
          hint: missing
            ? 'install git; the base branch is read with it'
            : 'check that this is a git checkout and that the commit exists here',
        }),
      );
    });
  });
}

/**
 * The migrations of a directory as they are at a commit, read with git
 * (`git ls-tree`, then one `git cat-file --batch` for all the files), never
 * from the working tree. A commit without the directory has no migrations:
 * nothing was applied from there.
 */
export function gitSource(options: GitSourceOptions): MigrationSource {
  const location = `${options.ref}:${options.dir}`;
  return {
    location,
    async read() {
      const listing = await git(['ls-tree', '-z', options.ref, '--', `${options.dir.replace(/\/+$/, '')}/`], options.cwd).catch(
        async (error: unknown) => {
          throw (await isShallowClone(options.cwd)) ? notInShallowClone(options.ref) : error;
        },
      );
      const tree = parseTree(listing);
      const problems: Problem[] = [];
      const isLink = (item: TreeItem) => item.type === 'blob' && item.mode === '120000';
      // Regular files by name, the only targets a link may resolve to.
      const regular = new Map(tree.filter((item) => item.type === 'blob' && !isLink(item)).map((item) => [item.name, item.id]));
      const wanted = tree.filter((item) => item.type === 'blob' && item.name.endsWith('.sql'));
      const targets = wanted.some(isLink) ? [...regular.values()] : [];
      const contents = await catFiles([...new Set([...wanted.map((item) => item.id), ...targets])], options.cwd);
      const entries: FileEntry[] = [];
      for (const item of tree) {
        const path = join(options.dir, item.name);
        if (!item.name.endsWith('.sql')) continue;
        if (item.type !== 'blob') {
          problems.push(
            problem('FILE_UNREADABLE', `${path} is a ${item.type === 'tree' ? 'directory' : 'submodule'} in ${options.ref}, not a file`, {
              file: path,
            }),
          );
          continue;
        }
        let id = item.id;
        if (isLink(item)) {
          const target = resolveLink(item.name, contents.get(item.id)?.toString('utf8') ?? '');
          const resolved = target === undefined ? undefined : regular.get(target);
          if (resolved === undefined) {
            problems.push(linkProblem(path, options.ref));
            continue;
          }
          id = resolved;
        }
        const bytes = contents.get(id) ?? new Uint8Array();
        entries.push({ fileName: item.name, path, read: () => bytes });
      }
      const read = await readEntries(entries);
      return { files: read.files, problems: [...problems, ...read.problems] };
    },
  };
}

interface TreeItem {
  readonly mode: string;
  readonly type: string;
  readonly id: string;
  /** The name inside the directory. */
  readonly name: string;
}

/** `git ls-tree -z` output: `<mode> <type> <id>\t<path>\0`; only the directory's own entries. */
function parseTree(output: string): TreeItem[] {
  return output
    .split('\0')
    .filter(Boolean)
    .flatMap((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', id = ''] = line.slice(0, tab).split(' ');
      const name = posix.basename(line.slice(tab + 1));
      return [{ mode, type, id, name }];
    });
}

/** A link's target as a name in the same directory, or undefined when it points anywhere else. */
function resolveLink(name: string, target: string): string | undefined {
  const normal = posix.normalize(posix.join(posix.dirname(`d/${name}`), target));
  return normal.startsWith('d/') && !normal.slice(2).includes('/') ? normal.slice(2) : undefined;
}

function linkProblem(path: string, ref: string): Problem {
  return problem('FILE_UNREADABLE', `${path} is a symbolic link in ${ref} to something outside the migrations directory`, {
    file: path,
    hint: 'commit the migration as a regular file',
  });
}

/** The contents of many objects in one `git cat-file --batch`. */
function catFiles(ids: readonly string[], cwd?: string): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(gitError('cat-file', error.message)));
    child.on('close', (code) => {
      if (code !== 0) return reject(gitError('cat-file', stderr.trim() || `exit ${code}`));
      const out = Buffer.concat(chunks);
      const found = new Map<string, Buffer>();
      let at = 0;
      while (at < out.length) {
        const eol = out.indexOf(10, at);
        const [id = '', type = '', size = ''] = out.subarray(at, eol).toString('utf8').split(' ');
        if (type === 'missing') return reject(gitError('cat-file', `object ${id} is missing`));
        const start = eol + 1;
        found.set(id, out.subarray(start, start + Number(size)));
        at = start + Number(size) + 1;
      }
      resolve(found);
    });
    child.stdin.end(ids.join('\n') + '\n');
  });
}

/** True in a shallow clone (`git rev-parse --is-shallow-repository`), where older commits are missing. */
export async function isShallowClone(cwd?: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], cwd).catch(() => '')).trim() === 'true';
}

function notInShallowClone(ref: string): PgshiftError {
  return fail('GIT_FAILED', `${ref} is not in this checkout: it is a shallow clone, which holds only the newest commits`, {
    hint: 'fetch the history (git fetch --unshallow, or git fetch origin <branch> for another branch); with actions/checkout, set fetch-depth: 0',
  });
}

const gitError = (what: string, said: string): PgshiftError =>
  fail('GIT_FAILED', `git ${what} failed: ${said}`, { hint: 'check that this is a git checkout and that the commit exists here' });

/**
 * A file's text as it is at a commit (`<commit>:<path>`, the path from the
 * repository's root), never the working tree's; undefined when the commit
 * has no such file.
 */
export async function gitFileAt(ref: string, path: string, cwd?: string): Promise<string | undefined> {
  // A missing commit is an error, not a commit without the file.
  const commit = (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd).catch(() => '')).trim();
  if (!commit) {
    if (await isShallowClone(cwd)) throw notInShallowClone(ref);
    throw fail('GIT_FAILED', `${ref} is not a commit in this checkout, so ${path} cannot be read from it`, {
      hint: 'check that this is a git checkout and that the commit exists here',
    });
  }
  const id = (await git(['rev-parse', '--verify', '--quiet', `${ref}:${path}`], cwd).catch(() => '')).trim();
  if (!id || (await git(['cat-file', '-t', id], cwd)).trim() !== 'blob') return undefined;
  return (await catFiles([id], cwd)).get(id)?.toString('utf8');
}

/**
 * The earlier contents of a file, newest first, as git has them (at most
 * `limit` commits back): for telling what an applied file looked like when
 * it was applied. Nothing when the file is not in a git checkout.
 */
export async function* earlierContents(
  path: string,
  options: { readonly cwd?: string; readonly limit?: number } = {},
): AsyncGenerator<Uint8Array> {
  const log = await git(['log', `-n${options.limit ?? 50}`, '--format=%H', '--', path], options.cwd).catch(() => '');
  // `<commit>:./<path>` is read relative to where git runs.
  const relative = `./${relativePath(options.cwd ?? process.cwd(), path)
    .split(sep)
    .join('/')}`;
  for (const commit of log.split('\n').filter(Boolean)) {
    const ids = await git(['rev-parse', '--verify', '--quiet', `${commit}:${relative}`], options.cwd).catch(() => '');
    if (!ids.trim()) continue;
    const contents = await catFiles([ids.trim()], options.cwd).catch(() => new Map<string, Buffer>());
    const bytes = contents.get(ids.trim());
    if (bytes) yield bytes;
  }
}
