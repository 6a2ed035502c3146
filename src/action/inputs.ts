import { DEFAULT_VERIFY_TIMEOUT_MS } from '../index.js';
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
  /** The lint input (error, warn, off) and the config file input. */
  readonly lint: LintMode;
  readonly config?: string;
  /** verify: what to compare with and where to prove; each absent unless given. */
  readonly verify: VerifySettings;
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
  /** An input's value (or `fallback`) read by `read`; undefined when empty. */
  const given = <T>(name: string, fallback: string, read: (name: string, raw: string, problems: string[]) => T): T | undefined => {
    const raw = value(name, fallback);
    return raw === '' ? undefined : read(name, raw, problems);
  };
  const integer = (name: string, fallback: string, min: number) => given(name, fallback, (_, raw) => wholeNumber(name, raw, min, problems));
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = value(name, String(fallback));
    // The YAML 1.2 core schema's booleans, as the runner's own getBooleanInput accepts.
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const duration = (name: string) => given(name, '', durationOf);

  const target = integer('target', '', 0);
  const steps = integer('steps', '1', 1) ?? 1;
  const lockTimeoutMs = duration('lock-timeout');
  const statementTimeoutMs = duration('statement-timeout');
  const comment = flag('comment', true);
  const strictOrder = flag('strict-order', false);
  const lockWaitMs = duration('lock-wait') ?? DEFAULTS.lockWaitMs;
  const postgresVersion = given('postgres-version', '', postgresVersionOf);
  const base = get('base').trim();
  const scratchUrl = get('scratch-url').trim();
  const postgresBin = get('postgres-bin').trim();
  const deadlineMs = given('verify-timeout', '', verifyTimeout) ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const lint = given('lint', 'warn', lintModeOf) ?? 'warn';
  const config = get('config').trim();
  const inputs: ActionInputs = {
    command: command as ActionInputs['command'],
    ...(target !== undefined && { target }),
    steps,
    comment,
    allowApplyOnPullRequest: flag('allow-apply-on-pull-request', false),
    lint,
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
