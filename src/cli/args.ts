import { parseArgs as parseArgv } from 'node:util';
import type { DirectoryOrigin } from '../frontend/dir-origin.js';
import { ALIASES, misplacedFlags, suggest } from './arg-checks.js';
import { waitFlags, type WaitFlags } from './wait.js';
import {
  DEFAULT_CONFIG_FILE,
  LAYERED,
  layeredLint,
  layeredSettings,
  resolveLayers,
  settingsFailure,
  type CheckedConfig,
} from '../frontend/layers.js';
import { wholeNumber, type CommonSettings, type LintSettings, type VerifySettings } from '../frontend/settings.js';
import { driftMode, type DriftSettings } from '../frontend/drift.js';
import type { TargetsFrom } from '../frontend/fleet-targets.js';

export type Command = 'status' | 'plan' | 'migrate' | 'rollback' | 'create' | 'validate' | 'verify' | 'lint' | 'repair' | 'wait' | 'drift';
const COMMANDS: readonly Command[] = [
  'status',
  'plan',
  'migrate',
  'rollback',
  'create',
  'validate',
  'verify',
  'lint',
  'repair',
  'wait',
  'drift',
];

/** What the command line asked for, checked, with the environment and the config file under it; nothing has run yet. */
export interface CliOptions {
  readonly command: Command | 'help' | 'version';
  /** With help: the command whose help was asked for (`pgshift migrate --help`, `pgshift help migrate`). */
  readonly helpFor?: Command;
  readonly name?: string;
  readonly databaseUrl?: string;
  readonly target?: number;
  readonly steps?: number;
  readonly json: boolean;
  readonly color?: boolean;
  /** repair: only say what would be recorded. */
  readonly dryRun?: boolean;
  /** lint: the files named; list the rules instead. */
  readonly files?: readonly string[];
  readonly listRules?: boolean;
  /** The config file named with --config. */
  readonly config?: string;
  /** lint, plan, verify: the config file's lint settings under PGSHIFT_LINT and --lint (and lint's PostgreSQL major). */
  readonly lint?: LintSettings;
  readonly settings: CommonSettings;
  /** Where the migrations directory was named, when --dir did not name it: for the errors about it. */
  readonly dirFrom?: DirectoryOrigin;
  /** verify: the base to compare with, the server to prove on; lint: the base and the PostgreSQL version. */
  readonly verify?: VerifySettings;
  /** verify: the fleet whose targets the change would touch (--fleet: the config file's targets; --targets FILE; --targets-sql). */
  readonly fleet?: VerifyFleetFlags;
  /** status --check: exit 3 when something is pending. */
  readonly check?: boolean;
  /** wait: the version to wait for, and for how long. */
  readonly wait?: WaitFlags;
  /** drift, and migrate's drift check: the mode (--drift), the scratch server, the config file's exclude patterns. */
  readonly drift?: DriftSettings;
}

/** verify's fleet: where its targets are listed, and how many are asked at once. */
export interface VerifyFleetFlags extends TargetsFrom {
  /** The config file's name and its `targets`, for --fleet alone. */
  readonly config: { readonly file: string; readonly targets: unknown };
  readonly concurrency?: number;
}

/** What is under the flags: the environment (PGSHIFT_*) and the config file, read and its shape checked. */
export interface ArgLayers {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly file?: CheckedConfig;
}

const VALUE_FLAGS = [
  'dir',
  'database-url',
  'table',
  'target',
  'steps',
  'lock-wait',
  'lock-timeout',
  'lock-retries',
  'statement-timeout',
  'base',
  'scratch-url',
  'postgres-bin',
  'postgres-version',
  'lint',
  'config',
  'verify-timeout',
  'at-least',
  'timeout',
  'interval',
  'drift',
  'rehearse-rows',
  'targets',
  'targets-sql',
] as const;
const BOOLEAN_FLAGS = [
  'strict-order',
  'no-strict-order',
  'json',
  'help',
  'version',
  'color',
  'no-color',
  'dry-run',
  'rules',
  'superuser',
  'check',
  'fleet',
] as const;
export type ValueFlag = (typeof VALUE_FLAGS)[number];

const OPTIONS = {
  ...Object.fromEntries(VALUE_FLAGS.map((f) => [f, { type: 'string' as const }])),
  ...Object.fromEntries(BOOLEAN_FLAGS.map((f) => [f, { type: 'boolean' as const }])),
  help: { type: 'boolean' as const, short: 'h' },
  version: { type: 'boolean' as const, short: 'v' },
};

export interface Tokens {
  readonly values: Map<ValueFlag, string>;
  readonly flags: Set<string>;
  readonly positional: string[];
  readonly problems: string[];
}

/**
 * Splits argv into flags and words with node:util's parser, run non-strict
 * so that every problem is collected here, with a suggestion, and so that
 * `--dir --json` reads as a missing value followed by --json rather than as
 * a directory named "--json".
 */
function tokensOf(argv: readonly string[]): Tokens {
  const values = new Map<ValueFlag, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const problems: string[] = [];
  const { tokens } = parseArgv({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const option = (name: string, value: string | undefined, inline: boolean): void => {
    if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      if (value === undefined || (!inline && value.startsWith('--'))) {
        problems.push(`--${name} needs a value`);
        if (value !== undefined) option(value.slice(2), undefined, false);
      } else {
        values.set(name as ValueFlag, value);
      }
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (value === undefined) flags.add(name);
      else problems.push(`--${name} takes no value (got "${value}")`);
    } else if (name === 'V') {
      flags.add('version');
    } else {
      problems.push(`unknown option ${name.length === 1 ? '-' : '--'}${name}${suggest(name, [...VALUE_FLAGS, ...BOOLEAN_FLAGS], true)}`);
    }
  };
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    else if (token.kind === 'option') option(token.name, token.value, token.inlineValue === true);
  }
  return { values, flags, positional, problems };
}

/**
 * The config file to read before {@link parseArgs}: `path` is the one
 * --config names, undefined for the default (pgshift.json, if present).
 * undefined for help, the version and lint --rules, which read neither the
 * file nor the environment: they answer whatever those hold.
 */
export function configToRead(argv: readonly string[]): { readonly path: string | undefined } | undefined {
  const { values, flags, positional } = tokensOf(argv);
  return readsSettings(flags, positional[0]) ? { path: values.get('config') } : undefined;
}

function readsSettings(flags: ReadonlySet<string>, word: string | undefined): boolean {
  return !flags.has('help') && !flags.has('version') && word !== 'help' && !flags.has('rules');
}

/**
 * Parses argv (without `node script`) over the environment and the config
 * file: each setting from its flag, else PGSHIFT_<SETTING>, else the file,
 * else the default. Throws a PgshiftError naming every bad flag, variable and
 * file entry at once: one USAGE problem for the command line, one
 * INVALID_OPTION problem for each bad variable or entry (exit 2 either way).
 * help and version (and lint --rules) look at neither the environment nor
 * the file.
 */
export function parseArgs(argv: readonly string[], layers: ArgLayers = {}): CliOptions {
  const { values, flags, positional, problems } = tokensOf(argv);
  const [word, ...rest] = positional;
  let command: CliOptions['command'] = flags.has('help') ? 'help' : flags.has('version') ? 'version' : 'help';
  if (!flags.has('help') && !flags.has('version')) {
    if (word === undefined) problems.push('no command given');
    else if ((COMMANDS as readonly string[]).includes(word)) command = word as Command;
    else if (word === 'help') command = 'help';
    else
      problems.push(
        `unknown command "${word}"${ALIASES[word.toLowerCase()] ? ` (did you mean ${ALIASES[word.toLowerCase()]}?)` : suggest(word, COMMANDS)}`,
      );
  }
  const helpTopic = command === 'help' ? [word, ...rest].find((w) => (COMMANDS as readonly (string | undefined)[]).includes(w)) : undefined;
  let name: string | undefined;
  if (command === 'create') {
    name = rest.join(' ').trim();
    if (name === '') problems.push('create needs a name, e.g. pgshift create add_orders_table');
  } else if (rest.length > 0 && command !== 'help' && command !== 'lint') {
    problems.push(`unexpected argument "${rest[0]}"`);
  }

  const integer = (flag: 'target' | 'steps' | 'rehearse-rows', min: number) => {
    const raw = values.get(flag);
    return raw === undefined ? undefined : wholeNumber(`--${flag}`, raw, min, problems);
  };
  const target = integer('target', 0);
  const steps = integer('steps', 1);
  const rehearseRows = integer('rehearse-rows', 0);
  const mode = values.has('drift') ? driftMode('--drift', values.get('drift')!, problems) : undefined;
  problems.push(...misplacedFlags(command, { values, flags, rest, target, steps, mode }));
  const wait = command === 'wait' ? waitFlags((flag) => values.get(flag), problems) : undefined;

  // Under the flags: the environment and the file, unless only help, the version or the rules were asked for.
  const underneath = readsSettings(flags, word);
  const file = underneath ? layers.file : undefined;
  const given = Object.fromEntries(
    Object.values(LAYERED).flatMap((row) => (values.has(row.flag as ValueFlag) ? [[row.flag, values.get(row.flag as ValueFlag)!]] : [])),
  );
  if (flags.has('strict-order') !== flags.has('no-strict-order')) given['strict-order'] = String(flags.has('strict-order'));
  const layered = resolveLayers({ flags: given, env: underneath ? (layers.env ?? {}) : {}, file });
  problems.push(...layered.flagProblems);
  const failure = settingsFailure(
    problems,
    [...(file?.problems ?? []), ...layered.problems],
    'run pgshift --help for the commands and options',
  );
  if (failure) throw failure;

  const v = layered.values;
  const config = file?.config ?? {};
  const { settings, dirFrom, verify } = layeredSettings(v, file?.file ?? DEFAULT_CONFIG_FILE);
  const databaseUrl = values.get('database-url');
  const fleet: VerifyFleetFlags | undefined =
    command === 'verify' && (flags.has('fleet') || values.has('targets') || values.has('targets-sql'))
      ? {
          ...(values.has('targets') && { targetsFile: values.get('targets')! }),
          ...(values.has('targets-sql') && { targetsSql: values.get('targets-sql')! }),
          config: { file: file?.file ?? DEFAULT_CONFIG_FILE, targets: config.targets },
          ...(config.fleet?.concurrency !== undefined && { concurrency: config.fleet.concurrency }),
        }
      : undefined;
  return {
    ...(fleet !== undefined && { fleet }),
    command,
    ...(helpTopic !== undefined && { helpFor: helpTopic as Command }),
    ...(name !== undefined && { name }),
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(target !== undefined && { target }),
    ...(steps !== undefined && { steps }),
    json: flags.has('json'),
    ...(flags.has('dry-run') && { dryRun: true }),
    ...(flags.has('check') && { check: true }),
    ...(wait !== undefined && { wait }),
    ...(command === 'lint' && rest.length > 0 && { files: rest }),
    ...(flags.has('rules') && { listRules: true }),
    ...(values.has('config') && { config: values.get('config')! }),
    ...(['lint', 'plan', 'verify'].includes(command) && { lint: layeredLint(v, config, { major: command === 'lint' }) }),
    ...(flags.has('color') && { color: true }),
    ...(flags.has('no-color') && { color: false }),
    ...((command === 'verify' || command === 'lint') && {
      verify: {
        ...(values.has('base') && { base: values.get('base')! }),
        ...(verify.postgresVersion !== undefined && { postgresVersion: verify.postgresVersion }),
        ...(command === 'verify' && {
          ...verify,
          ...(flags.has('superuser') && { superuser: true }),
          ...(rehearseRows !== undefined && { rehearseRows }),
        }),
      },
    }),
    ...((command === 'drift' || (command === 'migrate' && mode !== undefined)) && {
      drift: { ...verify, ...(mode !== undefined && { mode }), exclude: config.drift?.exclude ?? [] },
    }),
    settings,
    ...(dirFrom !== undefined && { dirFrom }),
  };
}
