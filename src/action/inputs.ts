import { DEFAULTS, DEFAULT_VERIFY_TIMEOUT_MS, fail, parseDuration, type CommonSettings } from '../index.js';

export type ActionCommand = 'status' | 'plan' | 'migrate' | 'rollback' | 'validate' | 'verify';
const COMMANDS: readonly (ActionCommand | 'auto')[] = ['auto', 'verify', 'status', 'plan', 'migrate', 'rollback', 'validate'];

/** The action's inputs, checked; the connection and the token are read (and masked) separately, before anything else. */
export interface ActionInputs {
  readonly command: ActionCommand | 'auto';
  readonly target?: number;
  readonly steps: number;
  readonly comment: boolean;
  readonly allowApplyOnPullRequest: boolean;
  readonly settings: CommonSettings;
  /** verify: what to compare with and where to prove; each absent unless given. */
  /** The lint input (error, warn, off) and the config file input. */
  readonly lint: 'error' | 'warn' | 'off';
  readonly config?: string;
  readonly verify: {
    readonly base?: string;
    readonly scratchUrl?: string;
    readonly postgresVersion?: number;
    readonly postgresBin?: string;
    /** The whole check's deadline. */
    readonly deadlineMs?: number;
    readonly superuser?: boolean;
  };
}

/**
 * Reads every input through `get` (the runner's `getInput`), applying the
 * same defaults as action.yml (the engine's DEFAULTS) so a step without them
 * behaves the same. Throws one PgshiftError (USAGE) naming every bad input.
 */
export function parseInputs(get: (name: string) => string): ActionInputs {
  const problems: string[] = [];
  const value = (name: string, fallback: string) => get(name).trim() || fallback;

  const command = value('command', 'auto').toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(command)) {
    problems.push(`command must be one of ${COMMANDS.join(', ')}, got "${command}"`);
  }
  const integer = (name: string, fallback: string, min: number): number | undefined => {
    const raw = value(name, fallback);
    if (raw === '') return undefined;
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) {
      problems.push(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
      return undefined;
    }
    return Number(raw);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = value(name, String(fallback));
    // The YAML 1.2 core schema's booleans, as the runner's own getBooleanInput accepts.
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const duration = (name: string): number | undefined => {
    const raw = value(name, '');
    if (raw === '') return undefined;
    const ms = parseDuration(raw);
    if (ms === undefined)
      problems.push(`${name} must be a duration such as 30s, 500ms or 2min (a bare number means seconds), got "${raw}"`);
    return ms;
  };

  const target = integer('target', '', 0);
  const steps = integer('steps', '1', 1) ?? 1;
  const lockTimeoutMs = duration('lock-timeout');
  const statementTimeoutMs = duration('statement-timeout');
  const comment = flag('comment', true);
  const strictOrder = flag('strict-order', false);
  const lockWaitMs = duration('lock-wait') ?? DEFAULTS.lockWaitMs;
  const postgresVersion = integer('postgres-version', '', 9);
  const base = get('base').trim();
  const scratchUrl = get('scratch-url').trim();
  const postgresBin = get('postgres-bin').trim();
  const deadlineMs = duration('verify-timeout') ?? DEFAULT_VERIFY_TIMEOUT_MS;
  if (deadlineMs === 0) problems.push('verify-timeout must be longer than 0');
  const lint = value('lint', 'warn');
  if (!['error', 'warn', 'off'].includes(lint)) problems.push(`lint must be error, warn or off, got "${lint}"`);
  const config = get('config').trim();
  const inputs: ActionInputs = {
    command: command as ActionInputs['command'],
    ...(target !== undefined && { target }),
    steps,
    comment,
    allowApplyOnPullRequest: flag('allow-apply-on-pull-request', false),
    lint: lint as 'error' | 'warn' | 'off',
    ...(config && { config }),
    settings: {
      dir: value('dir', DEFAULTS.dir),
      table: value('table', DEFAULTS.table),
      strictOrder,
      lockWaitMs,
      ...(lockTimeoutMs !== undefined && { lockTimeoutMs }),
      ...(statementTimeoutMs !== undefined && { statementTimeoutMs }),
    },
    verify: {
      ...(base && { base }),
      ...(scratchUrl && { scratchUrl }),
      ...(postgresVersion !== undefined && { postgresVersion }),
      ...(postgresBin && { postgresBin }),
      deadlineMs,
      ...(flag('superuser', false) && { superuser: true }),
    },
  };
  if (problems.length > 0) {
    throw fail('USAGE', `invalid input${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`, {
      hint: 'see the inputs table in the README',
    });
  }
  return inputs;
}
