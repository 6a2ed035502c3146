import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { lintSettingsProblems, type LintSettings } from '../core/lint/config.js';
import { failAll, problem, type Problem } from '../core/problem.js';
import { git, gitFileAt } from './git.js';

/**
 * What `pgshift.json` holds: the settings a project keeps in one place, each
 * the same as its flag (`dir` is `--dir`, `lockTimeout` is `--lock-timeout`).
 * Only the shape is checked here (known keys, JSON types); each value is
 * checked by its setting's one rule where the front ends read it
 * (frontend/layers.ts). Never a URL or a password: the file is committed.
 */
export interface ConfigFile {
  readonly $schema?: string;
  /** The migrations directory. */
  readonly dir?: string;
  /** The tracking table, `name` or `schema.name`. */
  readonly table?: string;
  /** Durations: `"2s"`, `"500ms"`, `"2min"`, or a number of seconds. */
  readonly lockWait?: string | number;
  readonly lockTimeout?: string | number;
  /** How many times a migration that runs out of lock_timeout is retried. */
  readonly lockRetries?: number | string;
  readonly statementTimeout?: string | number;
  readonly strictOrder?: boolean;
  /** verify: the PostgreSQL major to prove on; lint: the major the migrations will run on, under `lint.postgresVersion`. */
  readonly postgresVersion?: number | string;
  /** verify: where initdb and postgres are. */
  readonly postgresBin?: string;
  /** verify: the whole check's deadline. */
  readonly verifyTimeout?: string | number;
  readonly lint?: LintSettings;
  /** drift: objects managed elsewhere, by glob on their qualified names (`public.*_p20*`). */
  readonly drift?: DriftConfig;
  /** fleet: the targets, `[{ "id": "acme", "urlEnv": "ACME_DATABASE_URL", "schema": "tenant_acme", "labels": { "tier": "canary" } }]` (checked by fleet/targets.ts). */
  readonly targets?: unknown;
  /** fleet: the waves, `[{ "name": "canary", "count": 1 }, { "name": "rest" }]` (checked by fleet/waves.ts). */
  readonly waves?: unknown;
  /** fleet: `{ "concurrency": 8, "perServer": 10, "ledgerDir": ".pgshift/runs" }`. */
  readonly fleet?: FleetConfig;
}

/** The config file's `fleet` entry. */
export interface FleetConfig {
  readonly concurrency?: number;
  readonly perServer?: number;
  readonly ledgerDir?: string;
}

/** The config file's `drift` entry. */
export interface DriftConfig {
  readonly exclude?: readonly string[];
}

type JsonType = 'string' | 'number' | 'boolean';

/** Each key besides `lint`, with the JSON types it takes. */
const KEYS: Readonly<Record<Exclude<keyof ConfigFile, 'lint' | 'drift' | 'targets' | 'waves' | 'fleet'>, readonly JsonType[]>> = {
  $schema: ['string'],
  dir: ['string'],
  table: ['string'],
  lockWait: ['string', 'number'],
  lockTimeout: ['string', 'number'],
  lockRetries: ['number', 'string'],
  statementTimeout: ['string', 'number'],
  strictOrder: ['boolean'],
  postgresVersion: ['number', 'string'],
  postgresBin: ['string'],
  verifyTimeout: ['string', 'number'],
};
const KNOWN = [...Object.keys(KEYS).filter((k) => k !== '$schema'), 'drift', 'lint', 'targets', 'waves', 'fleet'];

/** `scratch-url`, `SCRATCH_URL`, `scratchUrl` → `scratchurl`: how a key is compared with the known and the refused ones. */
const folded = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * Keys refused whatever their value: a connection URL or a scratch server's
 * URL may hold a password, and this file is committed. The hint says where
 * each belongs instead.
 */
const SECRET_KEYS: Readonly<Record<string, string>> = {
  scratchurl:
    'give the scratch server as PGSHIFT_SCRATCH_URL in the environment (or --scratch-url; the action: the scratch-url input, from a secret)',
  ...Object.fromEntries(
    ['databaseurl', 'url', 'connection', 'connectionstring', 'connectionurl', 'password', 'pgpassword'].map((k) => [
      k,
      'give the connection as DATABASE_URL (or PGHOST, PGUSER, ...) in the environment (or --database-url; the action: the connection input, from a secret)',
    ]),
  ),
};

/** The config file read when none is named, from the working directory. */
export const DEFAULT_CONFIG_FILE = 'pgshift.json';

/** A config file's settings as far as they are well formed, and every problem with it. */
export interface CheckedConfig {
  /** The file as given (or the default), for messages. */
  readonly file: string;
  /** The known keys of the right JSON type; a bad entry is left out (and is in `problems`). */
  readonly config: ConfigFile;
  readonly problems: readonly Problem[];
}

/**
 * Reads and checks a config file: `{ "dir": "db/migrations", "lockTimeout":
 * "3s", "lint": { "mode": "warn", "rules": { "drop-column": "off" } } }`. A
 * named file must exist; the default one may be absent (then `{}`). Throws a
 * PgshiftError (INVALID_OPTION) naming the file and every bad entry.
 */
export async function readConfigFile(path: string | undefined): Promise<ConfigFile> {
  return settled(await loadConfigFile(path));
}

/** As {@link readConfigFile}, but never throws: the problems (an unreadable file too) come with what could be read. */
export async function loadConfigFile(path: string | undefined): Promise<CheckedConfig> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return { file, config: {}, problems: [] };
    const hint = 'check the path given as the config file';
    return {
      file,
      config: {},
      problems: [problem('INVALID_OPTION', `cannot read the config file ${file}: ${(error as Error).message}`, { hint })],
    };
  }
  return checkConfig(text, file);
}

/**
 * Checks config text, wherever it was read (a file, a commit), as
 * {@link readConfigFile} does: `file` names it in the errors.
 */
export function parseConfig(text: string, file: string): ConfigFile {
  return settled(checkConfig(text, file));
}

/** The config as {@link parseConfig} reads it, with its problems instead of an error. */
export function checkConfig(text: string, file: string): CheckedConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const hint = 'fix the JSON in the config file';
    return { file, config: {}, problems: [problem('INVALID_OPTION', `${file} is not valid JSON: ${(error as Error).message}`, { hint })] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const hint = 'write { "dir": "migrations", "lint": { ... } }';
    return { file, config: {}, problems: [problem('INVALID_OPTION', `${file} must hold a JSON object`, { hint })] };
  }
  const problems: Problem[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const types = key === 'lint' || key === 'drift' ? undefined : KEYS[key as keyof typeof KEYS];
    if (key === 'targets' || key === 'waves') {
      // Checked, with every target's and wave's problems, by the fleet commands that read them.
      config[key] = entry;
    } else if (key === 'fleet') {
      const bad = fleetConfigProblems(entry, file);
      problems.push(...bad);
      if (bad.length === 0) config[key] = entry;
    } else if (key === 'drift') {
      const bad = driftConfigProblems(entry, file);
      problems.push(...bad);
      if (bad.length === 0) config[key] = entry;
    } else if (key === 'lint') {
      const bad = lintSettingsProblems(entry, file);
      problems.push(...bad);
      if (bad.length === 0) config[key] = entry;
    } else if (types !== undefined) {
      if (types.includes(typeof entry as JsonType)) config[key] = entry;
      else problems.push(typeProblem(file, key, types, entry));
    } else {
      problems.push(unknownKey(file, key));
    }
  }
  return { file, config: config as ConfigFile, problems };
}

/** `"fleet": { "concurrency": 8, "perServer": 10, "ledgerDir": ".pgshift/runs" }`. */
function fleetConfigProblems(entry: unknown, file: string): Problem[] {
  const hint = 'write "fleet": { "concurrency": 8, "perServer": 10, "ledgerDir": ".pgshift/runs" }';
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return [problem('INVALID_OPTION', `${file}: fleet must be an object`, { hint })];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    const ok =
      key === 'ledgerDir'
        ? typeof value === 'string' && value.trim() !== ''
        : (key === 'concurrency' || key === 'perServer') && Number.isInteger(value) && (value as number) >= 1;
    if (!ok) {
      const what = ['concurrency', 'perServer', 'ledgerDir'].includes(key)
        ? `fleet.${key} has a bad value`
        : `unknown setting "fleet.${key}"`;
      problems.push(problem('INVALID_OPTION', `${file}: ${what}`, { hint }));
    }
  }
  return problems;
}

/**
 * `"drift": { "exclude": ["public.*_p20*"] }`: an object holding only
 * `exclude`, a list of patterns on qualified names (`schema.name`, a
 * column's `schema.table.column`), each a non-empty string without white
 * space at its ends.
 */
export function driftConfigProblems(entry: unknown, file: string): Problem[] {
  const example = 'write "drift": { "exclude": ["public.*_p20*"] }';
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [problem('INVALID_OPTION', `${file}: drift must be an object`, { hint: example })];
  }
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key !== 'exclude') {
      problems.push(problem('INVALID_OPTION', `${file}: unknown setting "drift.${key}"`, { hint: `drift holds exclude only; ${example}` }));
    } else if (!Array.isArray(value)) {
      problems.push(problem('INVALID_OPTION', `${file}: drift.exclude must be a list of patterns`, { hint: example }));
    } else {
      value.forEach((pattern: unknown, i) => {
        if (typeof pattern !== 'string' || pattern.trim() === '' || pattern.trim() !== pattern) {
          const got = typeof pattern === 'string' ? `"${pattern}"` : pattern === null ? 'null' : `a ${typeof pattern}`;
          problems.push(
            problem('INVALID_OPTION', `${file}: drift.exclude[${i}] must be a pattern on qualified names, got ${got}`, {
              hint: 'a pattern is schema.name with * for any characters and ? for one, e.g. "public.*_p20*" or "audit.*"',
            }),
          );
        }
      });
    }
  }
  return problems;
}

function settled(checked: CheckedConfig): ConfigFile {
  const { problems, file } = checked;
  if (problems.length > 0) throw failAll(problems, `${problems.length} problems in ${file}`);
  return checked.config;
}

/** `pgshift.json: dir must be a string, got a number`: the value itself is not shown (it could be anything, a secret too). */
function typeProblem(file: string, key: string, types: readonly JsonType[], entry: unknown): Problem {
  const got = entry === null ? 'null' : Array.isArray(entry) ? 'an array' : typeof entry === 'object' ? 'an object' : `a ${typeof entry}`;
  const wanted = types.map((t) => (t === 'boolean' ? 'true or false' : `a ${t}`)).join(' or ');
  const example = types.includes('boolean')
    ? 'true'
    : key === 'dir' || key === 'table' || key === 'postgresBin'
      ? '"..."'
      : types[0] === 'number'
        ? '16'
        : '"2s"';
  return problem('INVALID_OPTION', `${file}: ${key} must be ${wanted}, got ${got}`, { hint: `write "${key}": ${example}` });
}

function unknownKey(file: string, key: string): Problem {
  const refused = SECRET_KEYS[folded(key)];
  if (refused !== undefined)
    return problem('INVALID_OPTION', `${file}: "${key}" is refused: a URL or a password does not belong in a committed file`, {
      hint: `remove it; ${refused}`,
    });
  const close = KNOWN.find((k) => folded(k) === folded(key));
  return problem('INVALID_OPTION', `${file}: unknown setting "${key}"${close === undefined ? '' : ` (did you mean ${close}?)`}`, {
    hint: `the config file holds ${KNOWN.slice(0, -1).join(', ')} and ${KNOWN.at(-1)}`,
  });
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
export async function repositoryPath(absolute: string, cwd: string): Promise<string | undefined> {
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
