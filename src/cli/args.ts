import { PgshiftError, parseDuration } from '../index.js';

export type Command = 'status' | 'plan' | 'migrate' | 'rollback' | 'create' | 'validate';
const COMMANDS: readonly Command[] = ['status', 'plan', 'migrate', 'rollback', 'create', 'validate'];

/** What the command line asked for, checked; nothing has run yet. */
export interface CliOptions {
  readonly command: Command | 'help' | 'version';
  readonly name?: string;
  readonly dir: string;
  readonly databaseUrl?: string;
  readonly table: string;
  readonly target?: number;
  readonly steps?: number;
  readonly strictOrder: boolean;
  readonly lockWaitMs: number;
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
  readonly json: boolean;
  readonly color?: boolean;
}

type ValueFlag = 'dir' | 'database-url' | 'table' | 'target' | 'steps' | 'lock-wait' | 'lock-timeout' | 'statement-timeout';
const VALUE_FLAGS: readonly ValueFlag[] = [
  'dir',
  'database-url',
  'table',
  'target',
  'steps',
  'lock-wait',
  'lock-timeout',
  'statement-timeout',
];
const BOOLEAN_FLAGS = ['strict-order', 'json', 'help', 'version', 'color', 'no-color'] as const;

/** Parses argv (without `node script`). Throws a PgshiftError (exit 2) naming every bad flag or value. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const values = new Map<ValueFlag, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const problems: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (arg === '-v' || arg === '-V') {
      flags.add('version');
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') problems.push(`unknown option ${arg}`);
      else positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    if ((VALUE_FLAGS as readonly string[]).includes(key)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) {
        problems.push(`--${key} needs a value`);
        if (value !== undefined) i--;
      } else {
        values.set(key as ValueFlag, value);
      }
    } else if ((BOOLEAN_FLAGS as readonly string[]).includes(key)) {
      if (eq === -1) flags.add(key);
      else problems.push(`--${key} takes no value (got "${arg.slice(eq + 1)}")`);
    } else {
      problems.push(`unknown option --${key}${suggest(key, [...VALUE_FLAGS, ...BOOLEAN_FLAGS])}`);
    }
  }

  const [word, ...rest] = positional;
  let command: CliOptions['command'] = flags.has('help') ? 'help' : flags.has('version') ? 'version' : 'help';
  if (!flags.has('help') && !flags.has('version')) {
    if (word === undefined) problems.push('no command given');
    else if ((COMMANDS as readonly string[]).includes(word)) command = word as Command;
    else if (word === 'help') command = 'help';
    else problems.push(`unknown command "${word}"${suggest(word, COMMANDS)}`);
  }
  let name: string | undefined;
  if (command === 'create') {
    name = rest.join(' ').trim();
    if (name === '') problems.push('create needs a name, e.g. pgshift create add_orders_table');
  } else if (rest.length > 0 && command !== 'help') {
    problems.push(`unexpected argument "${rest[0]}"`);
  }

  const integer = (flag: 'target' | 'steps', min: number): number | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
      problems.push(`--${flag} must be a whole number ≥ ${min}, got "${raw}"`);
      return undefined;
    }
    return Number(raw);
  };
  const target = integer('target', 0);
  const steps = integer('steps', 1);
  if (target !== undefined && steps !== undefined) problems.push('--target and --steps cannot be used together');
  if (steps !== undefined && command !== 'rollback') problems.push('--steps is only for rollback');
  if (target !== undefined && !['migrate', 'rollback', 'plan'].includes(command))
    problems.push(`--target is only for migrate, plan and rollback`);

  const duration = (flag: 'lock-wait' | 'lock-timeout' | 'statement-timeout'): number | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    const ms = parseDuration(raw);
    if (ms === undefined)
      problems.push(`--${flag} must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "${raw}"`);
    return ms;
  };
  const lockWaitMs = duration('lock-wait') ?? 60_000;
  const lockTimeoutMs = duration('lock-timeout');
  const statementTimeoutMs = duration('statement-timeout');

  const dir = values.get('dir') ?? 'migrations';
  if (dir.trim() === '') problems.push('--dir must not be empty');

  if (problems.length > 0) {
    throw new PgshiftError('USAGE', problems.join('; '), { hint: 'run pgshift --help for the commands and options' });
  }
  const databaseUrl = values.get('database-url');
  return {
    command,
    ...(name !== undefined && { name }),
    dir,
    ...(databaseUrl !== undefined && { databaseUrl }),
    table: values.get('table') ?? 'schema_migrations',
    ...(target !== undefined && { target }),
    ...(steps !== undefined && { steps }),
    strictOrder: flags.has('strict-order'),
    lockWaitMs,
    ...(lockTimeoutMs !== undefined && { lockTimeoutMs }),
    ...(statementTimeoutMs !== undefined && { statementTimeoutMs }),
    json: flags.has('json'),
    ...(flags.has('color') && { color: true }),
    ...(flags.has('no-color') && { color: false }),
  };
}

function suggest(word: string, options: readonly string[]): string {
  const close = options.find((o) => distance(word, o) <= 2);
  return close ? ` (did you mean ${options.includes(close) && COMMANDS.includes(close as Command) ? close : `--${close}`}?)` : '';
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

export const HELP = `pgshift: plain-SQL schema migrations for PostgreSQL

Usage: pgshift <command> [options]

Commands:
  status              applied and pending migrations, and problems with the history
  plan                what migrate would do, with each migration's SQL; changes nothing
  migrate             apply pending migrations (each in its own transaction)
  rollback            undo the most recently applied migrations (--steps, default 1)
  create <name>       write the next migration file from the template
  validate            check files and history; exit 1 when something is wrong

Options:
  --dir <path>              migrations directory (default: migrations)
  --database-url <url>      PostgreSQL URL (default: $DATABASE_URL, else PGHOST, PGUSER, ...)
  --table <name>            tracking table, name or schema.name (default: schema_migrations)
  --target <version>        migrate/plan: up to this version, inclusive;
                            rollback: undo everything above this version
  --steps <n>               rollback: how many migrations to undo (default: 1)
  --strict-order            refuse pending versions lower than the highest applied one
  --lock-wait <duration>    how long to wait for another run's lock (default: 60s)
  --lock-timeout <dur>      lock_timeout for the migrations' statements (default: server's)
  --statement-timeout <dur> statement_timeout for the migrations' statements (default: server's)
  --json                    print one JSON document on stdout
  --color, --no-color       force colour on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help                this help
  -v, --version             the version

Durations take ms, s, min or h (30s, 500ms, 2min); a bare number is seconds.
Exit codes: 0 success, 1 the operation failed, 2 bad usage or bad input (nothing was touched).
`;
