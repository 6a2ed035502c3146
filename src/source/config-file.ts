import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { lintSettingsProblems, type LintSettings } from '../core/lint/config.js';
import { failAll, fail, problem, type Problem } from '../core/problem.js';
import { git, gitFileAt } from './git.js';

/** What `pgshift.json` holds. */
export interface ConfigFile {
  readonly lint?: LintSettings;
}

/** The config file read when none is named, from the working directory. */
export const DEFAULT_CONFIG_FILE = 'pgshift.json';

/**
 * Reads and checks a config file: `{ "lint": { "mode": "warn", "rules": {
 * "drop-column": "off" }, "postgresVersion": 16 } }`. A named file must
 * exist; the default one may be absent (then `{}`). Throws a PgshiftError
 * (INVALID_OPTION) naming the file and every bad entry.
 */
export async function readConfigFile(path: string | undefined): Promise<ConfigFile> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fail('INVALID_OPTION', `cannot read the config file ${file}: ${(error as Error).message}`, {
      hint: 'check the path given as the config file',
    });
  }
  return parseConfig(text, file);
}

/**
 * Checks config text, wherever it was read (a file, a commit), as
 * {@link readConfigFile} does: `file` names it in the errors.
 */
export function parseConfig(text: string, file: string): ConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('INVALID_OPTION', `${file} is not valid JSON: ${(error as Error).message}`, { hint: 'fix the JSON in the config file' });
  }
  const problems: Problem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('INVALID_OPTION', `${file} must hold a JSON object`, { hint: 'write { "lint": { ... } }' });
  }
  for (const key of Object.keys(value)) {
    if (key !== 'lint' && key !== '$schema')
      problems.push(problem('INVALID_OPTION', `${file}: unknown setting "${key}"`, { hint: 'the config file holds "lint"' }));
  }
  problems.push(...lintSettingsProblems((value as ConfigFile).lint, file));
  if (problems.length > 0) throw failAll(problems, `${problems.length} problems in ${file}`);
  return value as ConfigFile;
}

/** The configuration a check used, read from a commit, and how the working tree's differs. */
export interface ConfigAtCommit {
  readonly config: ConfigFile;
  /** The file as given (or the default), for messages. */
  readonly file: string;
  /** True when the working tree's file is not the commit's (added, removed or edited). */
  readonly changed: boolean;
  /** Why the working tree's version would be refused, when it changed and would be. */
  readonly changedInvalid?: string;
}

/**
 * The config file as it is at a commit (`git show <commit>:<path>`), not as
 * the working tree has it: a pull request's check reads its base's, so the
 * pull request cannot turn a rule off for its own check. Absent at the
 * commit is `{}`. A file outside the repository is no commit's: it is read
 * from disk. Throws as {@link readConfigFile} when the commit's is invalid.
 */
export async function readConfigAt(ref: string, path: string | undefined, cwd: string): Promise<ConfigAtCommit> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  const inRepo = await repositoryPath(resolve(cwd, file), cwd);
  if (inRepo === undefined) return { config: await readConfigFile(resolve(cwd, file)), file, changed: false };
  const committed = await gitFileAt(ref, inRepo, cwd);
  const config = committed === undefined ? {} : parseConfig(committed, file);
  let working: string | undefined;
  let unreadable: string | undefined;
  try {
    working = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable = `cannot read it: ${(error as Error).message}`;
  }
  const normal = (text: string | undefined) => text?.replace(/\r\n/g, '\n');
  if (unreadable === undefined && normal(working) === normal(committed)) return { config, file, changed: false };
  const changedInvalid = unreadable ?? (working === undefined ? undefined : invalidity(working, file));
  return { config, file, changed: true, ...(changedInvalid !== undefined && { changedInvalid }) };
}

function invalidity(text: string, file: string): string | undefined {
  try {
    parseConfig(text, file);
    return undefined;
  } catch (error) {
    const problems = (error as { problems?: readonly Problem[] }).problems ?? [];
    return problems.length > 0 ? problems.map((p) => p.message).join('; ') : String(error);
  }
}

/** The path from the repository's root, with forward slashes; undefined when outside the repository. */
async function repositoryPath(absolute: string, cwd: string): Promise<string | undefined> {
  const top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  // git names the root by its real path: a link on the way (/tmp on macOS) would make it look outside.
  const real = await realpath(dirname(absolute)).then(
    (dir) => join(dir, basename(absolute)),
    () => absolute,
  );
  const path = relative(await realpath(top).catch(() => top), real);
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}
