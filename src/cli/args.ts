import { parseArgs as parseArgv } from 'node:util';
import { fail } from '../frontend/problems.js';
import {
  DEFAULTS,
  duration as durationOf,
  lintMode as lintModeOf,
  postgresVersion as postgresVersionOf,
  verifyTimeout,
  wholeNumber,
  type CommonSettings,
  type LintMode,
  type VerifySettings,
} from '../frontend/settings.js';

export type Command = 'status' | 'plan' | 'migrate' | 'rollback' | 'create' | 'validate' | 'verify' | 'lint' | 'repair';
const COMMANDS: readonly Command[] = ['status', 'plan', 'migrate', 'rollback', 'create', 'validate', 'verify', 'lint', 'repair'];

/** What the command line asked for, checked; nothing has run yet. */
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
  /** lint, plan, verify: the lint mode (--lint) and the config file (--config). */
  readonly lintMode?: LintMode;
  readonly config?: string;
  readonly settings: CommonSettings;
  /** verify: the base to compare with, the server to prove on; lint: the base and the PostgreSQL version. */
  readonly verify?: VerifySettings;
}

const VALUE_FLAGS = [
  'dir',
  'database-url',
  'table',
  'target',
  'steps',
  'lock-wait',
  'lock-timeout',
  'statement-timeout',
  'base',
  'scratch-url',
  'postgres-bin',
  'postgres-version',
  'lint',
  'config',
  'verify-timeout',
] as const;
const VERIFY_FLAGS = ['scratch-url', 'postgres-bin', 'verify-timeout'] as const;
const BOOLEAN_FLAGS = ['strict-order', 'json', 'help', 'version', 'color', 'no-color', 'dry-run', 'rules', 'superuser'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

const OPTIONS = {
  ...Object.fromEntries(VALUE_FLAGS.map((f) => [f, { type: 'string' as const }])),
  ...Object.fromEntries(BOOLEAN_FLAGS.map((f) => [f, { type: 'boolean' as const }])),
  help: { type: 'boolean' as const, short: 'h' },
  version: { type: 'boolean' as const, short: 'v' },
};

/**
 * Parses argv (without `node script`). Throws a PgshiftError (USAGE) naming
 * every bad flag or value at once. node:util's parser splits the tokens; it
 * runs non-strict so that every problem is collected here, with a
 * suggestion, and so that `--dir --json` reads as a missing value followed
 * by --json rather than as a directory named "--json".
 */
export function parseArgs(argv: readonly string[]): CliOptions {
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
      problems.push(`unknown option ${name.length === 1 ? '-' : '--'}${name}${suggest(name, [...VALUE_FLAGS, ...BOOLEAN_FLAGS])}`);
    }
  };
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    else if (token.kind === 'option') option(token.name, token.value, token.inlineValue === true);
  }

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

  /** A flag's value read by `read`, which names it as given (`--lock-wait`); undefined when the flag is absent. */
  const given = <T>(flag: ValueFlag, read: (name: string, raw: string, problems: string[]) => T): T | undefined => {
    const raw = values.get(flag);
    return raw === undefined ? undefined : read(`--${flag}`, raw, problems);
  };
  const integer = (flag: 'target' | 'steps', min: number) => given(flag, (name, raw) => wholeNumber(name, raw, min, problems));
  const target = integer('target', 0);
  const steps = integer('steps', 1);
  if (target !== undefined && steps !== undefined) problems.push('--target and --steps cannot be used together');
  if (steps !== undefined && command !== 'rollback') problems.push('--steps is only for rollback');
  if (target !== undefined && !['migrate', 'rollback', 'plan'].includes(command))
    problems.push(`--target is only for migrate, plan and rollback`);

  const duration = (flag: 'lock-wait' | 'lock-timeout' | 'statement-timeout') => given(flag, durationOf);
  const lockWaitMs = duration('lock-wait') ?? DEFAULTS.lockWaitMs;
  const lockTimeoutMs = duration('lock-timeout');
  const statementTimeoutMs = duration('statement-timeout');

  const dir = values.get('dir') ?? DEFAULTS.dir;
  if (dir.trim() === '') problems.push('--dir must not be empty');
  for (const flag of VERIFY_FLAGS) if (values.has(flag) && command !== 'verify') problems.push(`--${flag} is only for verify`);
  for (const flag of ['base', 'postgres-version'] as const)
    if (values.has(flag) && command !== 'verify' && command !== 'lint') problems.push(`--${flag} is only for verify and lint`);
  for (const flag of ['lint', 'config'] as const)
    if (values.has(flag) && !['lint', 'plan', 'verify'].includes(command)) problems.push(`--${flag} is only for lint, plan and verify`);
  if (flags.has('rules') && command !== 'lint') problems.push('--rules is only for lint');
  if (command === 'lint' && values.has('base') && rest.length > 0) problems.push('lint takes files or --base, not both');
  const lintMode = given('lint', lintModeOf);
  if (flags.has('dry-run') && command !== 'repair')
    problems.push(
      command === 'migrate'
        ? `--dry-run is only for repair (did you mean pgshift plan, which shows what migrate would run?)`
        : '--dry-run is only for repair',
    );
  if (flags.has('superuser') && command !== 'verify') problems.push('--superuser is only for verify');
  const deadlineMs = given('verify-timeout', verifyTimeout);
  const major = given('postgres-version', postgresVersionOf);

  if (problems.length > 0) throw fail('USAGE', problems.join('; '), { hint: 'run pgshift --help for the commands and options' });
  const databaseUrl = values.get('database-url');
  return {
    command,
    ...(helpTopic !== undefined && { helpFor: helpTopic as Command }),
    ...(name !== undefined && { name }),
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(target !== undefined && { target }),
    ...(steps !== undefined && { steps }),
    json: flags.has('json'),
    ...(flags.has('dry-run') && { dryRun: true }),
    ...(command === 'lint' && rest.length > 0 && { files: rest }),
    ...(flags.has('rules') && { listRules: true }),
    ...(lintMode !== undefined && { lintMode }),
    ...(values.has('config') && { config: values.get('config')! }),
    ...(flags.has('color') && { color: true }),
    ...(flags.has('no-color') && { color: false }),
    ...((command === 'verify' || command === 'lint') && {
      verify: {
        ...(values.has('base') && { base: values.get('base')! }),
        ...(values.has('scratch-url') && { scratchUrl: values.get('scratch-url')! }),
        ...(values.has('postgres-bin') && { postgresBin: values.get('postgres-bin')! }),
        ...(major !== undefined && { postgresVersion: major }),
        ...(deadlineMs !== undefined && deadlineMs > 0 && { deadlineMs }),
        ...(flags.has('superuser') && { superuser: true }),
      },
    }),
    settings: {
      dir,
      table: values.get('table') ?? DEFAULTS.table,
      strictOrder: flags.has('strict-order'),
      lockWaitMs,
      ...(lockTimeoutMs !== undefined && { lockTimeoutMs }),
      ...(statementTimeoutMs !== undefined && { statementTimeoutMs }),
    },
  };
}

/** Other tools' words for pgshift's commands: named in the error, not taken, so that one word means one thing. */
const ALIASES: Readonly<Record<string, string>> = {
  up: 'migrate',
  apply: 'migrate',
  deploy: 'migrate',
  down: 'rollback',
  undo: 'rollback',
  revert: 'rollback',
  new: 'create',
  generate: 'create',
  add: 'create',
  info: 'status',
  check: 'validate',
  test: 'verify',
};

function suggest(word: string, options: readonly string[]): string {
  const close = options.find((o) => distance(word, o) <= 2);
  if (close === undefined) return '';
  return ` (did you mean ${(COMMANDS as readonly string[]).includes(close) ? close : `--${close}`}?)`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
