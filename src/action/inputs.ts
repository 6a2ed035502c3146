import { fail } from '../frontend/problems.js';
import {
  DEFAULT_CONFIG_FILE,
  LAYERED,
  layeredLint,
  layeredSettings,
  resolveLayers,
  settingsFailure,
  type CheckedConfig,
  type LayeredSettings,
} from '../frontend/layers.js';
import { boolean, wholeNumber, type LintMode, type LintSettings, type VerifySettings } from '../frontend/settings.js';
import { driftCheck, driftMode, type DriftCheck, type DriftMode } from '../frontend/drift.js';

export type ActionCommand = 'status' | 'plan' | 'migrate' | 'rollback' | 'validate' | 'verify';
const COMMANDS: readonly (ActionCommand | 'auto')[] = ['auto', 'verify', 'status', 'plan', 'migrate', 'rollback', 'validate'];
const HINT = 'see the inputs table in the README';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The action's inputs, checked; the connection and the token are read (and
 * masked) separately, before anything else. The settings a project keeps in
 * one place (dir, table, the timeouts, lint...) are only the inputs' text
 * here: {@link actionSettings} reads them over PGSHIFT_* and the config file,
 * once the file to read is known.
 */
export interface ActionInputs {
  readonly command: ActionCommand | 'auto';
  readonly target?: number;
  readonly steps: number;
  readonly comment: boolean;
  readonly allowApplyOnPullRequest: boolean;
  /** The config input: the file to read instead of pgshift.json. */
  readonly config?: string;
  /** verify: what to compare with. */
  readonly base?: string;
  readonly superuser: boolean;
  /** verify: rows per table for the rehearsal on seeded rows (0: none); absent: the default. */
  readonly rehearseRows?: number;
  /** verify: the fleet line, its targets from the config file (`fleet: true`), a file or a query. */
  readonly fleet?: { readonly targetsFile?: string; readonly targetsSql?: string };
  /** migrate: the drift check first (`fail` when the input is empty). */
  readonly drift: DriftMode;
  /** The layered settings' inputs that were given (not empty), by input name: `{ 'lock-timeout': '5s' }`. */
  readonly layered: Readonly<Record<string, string>>;
}

/** What a run uses: the settings from the inputs, else PGSHIFT_*, else the config file, else the defaults. */
export interface ActionSettings extends LayeredSettings {
  /** The config file's lint settings with the lint input (or PGSHIFT_LINT) over its mode. */
  readonly lint: LintSettings;
  /** The lint's mode as it runs (the default, warn, when nothing set it): the report says it. */
  readonly lintMode: LintMode;
  /** verify's settings: the layered ones with the base and superuser inputs. */
  readonly verify: VerifySettings;
  /** migrate's drift check, on verify's scratch server settings; undefined when the drift input is off. */
  readonly drift?: DriftCheck;
}

/**
 * What the action's migrate and rollback run with when no input, PGSHIFT_*
 * variable or config file sets them: 2 s bounds the stall any query on a
 * table sees behind a migration queued for its lock; ten retries from 1 s
 * doubling to 30 s ride out a few minutes of long transactions.
 */
export const ACTION_APPLY_DEFAULTS = { lockTimeoutMs: 2000, lockRetries: 10 } as const;

/** An input is named as the workflow names it: `lock-timeout`. */
const inputName = (flag: string) => flag;

/**
 * Reads every input through `get` (the runner's `getInput`). An empty input
 * is not given: action.yml gives the layered ones no default, so that
 * PGSHIFT_* and the config file can set them. Throws one PgshiftError (USAGE)
 * naming every bad input; a layered input is checked by the rule its flag is.
 */
export function parseInputs(get: (name: string) => string): ActionInputs {
  const problems: string[] = [];
  const value = (name: string) => get(name).trim();

  const command = (value('command') || 'auto').toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(command)) {
    problems.push(`command must be one of ${COMMANDS.join(', ')}, got "${command}"`);
  }
  const integer = (name: string, min: number) => (value(name) === '' ? undefined : wholeNumber(name, value(name), min, problems));
  const flag = (name: string, fallback: boolean): boolean =>
    (value(name) === '' ? fallback : boolean(name, value(name), problems)) ?? fallback;

  const target = integer('target', 0);
  const steps = integer('steps', 1) ?? 1;
  const comment = flag('comment', true);
  const allowApplyOnPullRequest = flag('allow-apply-on-pull-request', false);
  const superuser = flag('superuser', false);
  const rehearseRows = integer('rehearse-rows', 0);
  const base = value('base');
  const config = value('config');
  const targetsFile = value('targets');
  const targetsSql = value('targets-sql');
  if (targetsFile && targetsSql) problems.push('targets and targets-sql cannot be used together');
  const fleet =
    flag('fleet', false) || targetsFile || targetsSql
      ? { ...(targetsFile && { targetsFile }), ...(targetsSql && { targetsSql }) }
      : undefined;
  const drift = value('drift') === '' ? 'fail' : (driftMode('drift', value('drift'), problems) ?? 'fail');
  const layered = Object.fromEntries(
    Object.values(LAYERED).flatMap((row) => (value(row.flag) === '' ? [] : [[row.flag, value(row.flag)]])),
  );
  // The inputs' own values, checked now with the others; the environment and the file are read once the file is known.
  problems.push(...resolveLayers({ flags: layered, flagName: inputName, env: {} }).flagProblems);
  if (problems.length > 0) {
    throw fail('USAGE', `invalid input${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`, { hint: HINT });
  }
  return {
    command: command as ActionInputs['command'],
    ...(target !== undefined && { target }),
    steps,
    comment,
    allowApplyOnPullRequest,
    ...(config && { config }),
    ...(base && { base }),
    superuser,
    ...(rehearseRows !== undefined && { rehearseRows }),
    ...(fleet && { fleet }),
    drift,
    layered,
  };
}

/**
 * The settings of a run, as the CLI reads them: each from its input, else
 * PGSHIFT_<SETTING>, else the config file, else the default. `file` is the
 * config file as read (on a pull request, the base commit's), named as the
 * errors should name it. Throws one PgshiftError naming every bad variable
 * and file entry.
 */
export function actionSettings(inputs: ActionInputs, env: Env, file: CheckedConfig | undefined, command?: ActionCommand): ActionSettings {
  const resolved = resolveLayers({ flags: inputs.layered, flagName: inputName, env, file });
  const failure = settingsFailure(resolved.flagProblems, [...(file?.problems ?? []), ...resolved.problems], HINT);
  if (failure) throw failure;
  const layered = layeredSettings(resolved.values, file?.file ?? DEFAULT_CONFIG_FILE);
  const { dirFrom, verify } = layered;
  const applying = command === 'migrate' || command === 'rollback';
  // The apply's own defaults, where no layer set them: a short lock wait, retried (README: "Lock timeouts, retried").
  const settings = applying
    ? {
        ...layered.settings,
        lockTimeoutMs: layered.settings.lockTimeoutMs ?? ACTION_APPLY_DEFAULTS.lockTimeoutMs,
        lockRetries: layered.settings.lockRetries ?? ACTION_APPLY_DEFAULTS.lockRetries,
      }
    : layered.settings;
  const lint = layeredLint(resolved.values, file?.config ?? {}, { major: false });
  const drift = driftCheck({ ...verify, mode: inputs.drift, exclude: file?.config.drift?.exclude ?? [] }, env);
  return {
    settings,
    ...(dirFrom !== undefined && { dirFrom: { ...dirFrom, flag: 'the dir input' } }),
    lint,
    lintMode: lint.mode ?? 'warn',
    verify: {
      ...verify,
      ...(inputs.base !== undefined && { base: inputs.base }),
      ...(inputs.superuser && { superuser: true }),
      ...(inputs.rehearseRows !== undefined && { rehearseRows: inputs.rehearseRows }),
    },
    ...(drift !== undefined && { drift }),
  };
}
