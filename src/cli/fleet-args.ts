/** `pgshift fleet <command>`: its flags, checked, over the environment and pgshift.json, as the single-database commands read them. */
import { parseArgs as parseArgv } from 'node:util';
import { LAYERED, layeredSettings, resolveLayers, settingsFailure, type CheckedConfig } from '../frontend/layers.js';
import { parseShard } from '../frontend/fleet.js';
import { duration, wholeNumber, type CommonSettings } from '../frontend/settings.js';
import type { DirectoryOrigin } from '../frontend/dir-origin.js';
import { suggest } from './arg-checks.js';
import { waitFlags, type WaitFlags } from './wait.js';

export type FleetCommandName = 'status' | 'plan' | 'migrate' | 'rollback' | 'wait' | 'shard' | 'report';
const COMMANDS: readonly FleetCommandName[] = ['status', 'plan', 'migrate', 'rollback', 'wait', 'shard', 'report'];

export interface FleetCliOptions {
  readonly command: FleetCommandName | 'help';
  readonly json: boolean;
  readonly color?: boolean;
  readonly check?: boolean;
  /** report: GitHub markdown instead of text. */
  readonly markdown?: boolean;
  readonly databaseUrl?: string;
  readonly targetsFile?: string;
  readonly targetsSql?: string;
  /** migrate: up to this version; rollback: down to it; plan: up to it. */
  readonly target?: number;
  readonly resume?: string;
  /** migrate: every target or none (PREPARE TRANSACTION, then COMMIT PREPARED everywhere). */
  readonly atomic?: boolean;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly shards?: number;
  readonly concurrency?: number;
  readonly perServer?: number;
  readonly ledgerDir?: string;
  readonly wait?: WaitFlags;
  /** wait: only the targets whose labels hold all of these (`--select tier=canary,region=eu`). */
  readonly select?: Readonly<Record<string, string>>;
  /** report: the ledger files. */
  readonly files: readonly string[];
  readonly settings: CommonSettings;
  readonly dirFrom?: DirectoryOrigin;
}

const FLEET_VALUES = [
  'targets',
  'targets-sql',
  'database-url',
  'target',
  'resume',
  'shard',
  'shards',
  'concurrency',
  'per-server',
  'ledger-dir',
  'at-least',
  'timeout',
  'interval',
  'select',
  'config',
] as const;
const SETTING_VALUES = ['dir', 'table', 'lock-wait', 'lock-timeout', 'lock-retries', 'statement-timeout'] as const;
const BOOLEANS = ['json', 'markdown', 'check', 'atomic', 'help', 'color', 'no-color', 'strict-order', 'no-strict-order'] as const;
type Value = (typeof FLEET_VALUES)[number] | (typeof SETTING_VALUES)[number];

/** Which flags each command takes, besides --json, --help, --config, the settings and the targets. */
const ONLY: Readonly<Partial<Record<Value | 'check' | 'markdown' | 'atomic', readonly FleetCommandName[]>>> = {
  target: ['plan', 'migrate', 'rollback'],
  resume: ['migrate', 'rollback'],
  shards: ['shard'],
  'at-least': ['wait'],
  timeout: ['wait'],
  interval: ['wait'],
  select: ['wait'],
  check: ['status'],
  markdown: ['report'],
  atomic: ['migrate'],
  'ledger-dir': ['migrate', 'rollback'],
};

/** Parses `fleet …` argv (after the word fleet). Throws a PgshiftError naming every bad flag, variable and file entry at once. */
export function parseFleetArgs(
  argv: readonly string[],
  layers: { readonly env: Readonly<Record<string, string | undefined>>; readonly file?: CheckedConfig },
): FleetCliOptions {
  const problems: string[] = [];
  const values = new Map<Value, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const all = [...FLEET_VALUES, ...SETTING_VALUES];
  const { tokens } = parseArgv({
    args: [...argv],
    options: {
      ...Object.fromEntries(all.map((f) => [f, { type: 'string' as const }])),
      ...Object.fromEntries(BOOLEANS.map((f) => [f, { type: 'boolean' as const }])),
      help: { type: 'boolean' as const, short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    else if (token.kind !== 'option') continue;
    else if ((all as readonly string[]).includes(token.name)) {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) problems.push(`--${token.name} needs a value`);
      else values.set(token.name as Value, token.value);
    } else if ((BOOLEANS as readonly string[]).includes(token.name)) flags.add(token.name);
    else problems.push(`unknown option --${token.name}${suggest(token.name, [...all, ...BOOLEANS], true)}`);
  }
  const [word, ...rest] = positional;
  let command: FleetCliOptions['command'] = 'help';
  if (!flags.has('help')) {
    if (word === undefined) problems.push('fleet needs a command: status, plan, migrate, rollback, wait, shard or report');
    else if ((COMMANDS as readonly string[]).includes(word)) command = word as FleetCommandName;
    else problems.push(`unknown fleet command "${word}"${suggest(word, COMMANDS)}`);
  }
  if (command !== 'report' && rest.length > 0) problems.push(`unexpected argument "${rest[0]}"`);
  if (command === 'report' && rest.length === 0) problems.push('fleet report needs ledger files, e.g. pgshift fleet report ledgers/*.json');
  if (command !== 'help') {
    for (const [flag, commands] of Object.entries(ONLY)) {
      const given = flag === 'check' || flag === 'markdown' || flag === 'atomic' ? flags.has(flag) : values.has(flag as Value);
      if (given && !commands.includes(command)) problems.push(`--${flag} is only for fleet ${commands.join(', ')}`);
    }
  }
  if (flags.has('atomic') && values.has('shard'))
    problems.push(
      '--atomic cannot take --shard: each shard would commit on its own; run fleet migrate --atomic over every target in one job',
    );
  if (flags.has('atomic') && values.has('resume'))
    problems.push('--atomic cannot --resume: an all-or-none run leaves no target half done; run fleet migrate --atomic again');
  if (values.has('targets') && values.has('targets-sql')) problems.push('--targets and --targets-sql cannot be used together');
  const number = (flag: 'target' | 'shards' | 'concurrency' | 'per-server', min: number) =>
    values.has(flag) ? wholeNumber(`--${flag}`, values.get(flag)!, min, problems) : undefined;
  const target = number('target', 0);
  const shards = number('shards', 1);
  if (command === 'shard' && shards === undefined && !values.has('shards'))
    problems.push('fleet shard needs --shards <n>, e.g. --shards 16');
  const concurrency = number('concurrency', 1);
  const perServer = number('per-server', 1);
  const shardText = values.get('shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  if (shardText !== undefined && shard === undefined)
    problems.push(`--shard must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/16 (got "${shardText}")`);
  const wait = command === 'wait' ? waitFlags((flag) => values.get(flag), problems) : undefined;
  const select = values.has('select') ? labelsOf(values.get('select')!, problems) : undefined;
  if (values.has('timeout') && command !== 'wait') duration('--timeout', values.get('timeout')!, problems);

  const file = command === 'help' ? undefined : layers.file;
  const given = Object.fromEntries(
    Object.values(LAYERED).flatMap((row) => (values.has(row.flag as Value) ? [[row.flag, values.get(row.flag as Value)!]] : [])),
  );
  if (flags.has('strict-order') !== flags.has('no-strict-order')) given['strict-order'] = String(flags.has('strict-order'));
  const layered = resolveLayers({ flags: given, env: command === 'help' ? {} : layers.env, file });
  problems.push(...layered.flagProblems);
  const failure = settingsFailure(
    problems,
    [...(file?.problems ?? []), ...layered.problems],
    'run pgshift fleet --help for the commands and options',
  );
  if (failure) throw failure;
  const { settings, dirFrom } = layeredSettings(layered.values, file?.file ?? 'pgshift.json');
  const fleet = file?.config.fleet ?? {};
  const ledgerDir = values.get('ledger-dir') ?? layers.env.PGSHIFT_LEDGER_DIR ?? fleet.ledgerDir;
  const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    command,
    json: flags.has('json'),
    ...(flags.has('color') && { color: true }),
    ...(flags.has('no-color') && { color: false }),
    ...(flags.has('check') && { check: true }),
    ...(flags.has('markdown') && { markdown: true }),
    ...(flags.has('atomic') && { atomic: true }),
    ...opt('databaseUrl', values.get('database-url')),
    ...opt('targetsFile', values.get('targets')),
    ...opt('targetsSql', values.get('targets-sql')),
    ...opt('target', target),
    ...opt('resume', values.get('resume')),
    ...opt('shard', shard),
    ...opt('shards', shards),
    ...opt('concurrency', concurrency ?? fleet.concurrency),
    ...opt('perServer', perServer ?? fleet.perServer),
    ...opt('ledgerDir', ledgerDir),
    ...opt('wait', wait),
    ...opt('select', select),
    files: command === 'report' ? rest : [],
    settings,
    ...opt('dirFrom', dirFrom),
  };
}

/** `tier=canary,region=eu` → { tier: 'canary', region: 'eu' }. */
function labelsOf(text: string, problems: string[]): Record<string, string> | undefined {
  const pairs = text.split(',').map((p) => p.split('='));
  if (pairs.some((p) => p.length !== 2 || p[0]!.trim() === '')) {
    problems.push(`--select must be label=value pairs, e.g. --select tier=canary,region=eu (got "${text}")`);
    return undefined;
  }
  return Object.fromEntries(pairs.map(([k, v]) => [k!.trim(), v!.trim()]));
}
