/**
 * The settings a project keeps in one place, read from three places over
 * the defaults, in one order for every command:
 *
 *   flag (--lock-timeout) > environment (PGSHIFT_LOCK_TIMEOUT) > config file (pgshift.json: lockTimeout) > default
 *
 * The action reads them the same way, its inputs (`lock-timeout`) in the
 * flags' place, an empty input counting as not given.
 *
 * One row a setting names its flag, its variable and its key, and the one
 * rule (settings.ts) its value is read by wherever it comes from: a bad
 * value is refused the same way in each place and named as that place names
 * it. Every place is checked, an overridden one too, so that a bad value is
 * found on the first run and not on the day the override goes. The library
 * reads none of these places; the connection is never the file's.
 */
import type { LintSettings } from '../core/lint/config.js';
import { failAll, problem, type PgshiftError, type Problem } from '../core/problem.js';
import type { ConfigFile } from '../source/config-file.js';
import type { DirectoryOrigin } from './dir-origin.js';
import { lintSettings } from './lint.js';
import {
  boolean,
  DEFAULTS,
  duration,
  lintMode,
  retries,
  nonEmpty,
  postgresVersion,
  tableName,
  verifyTimeout,
  type CommonSettings,
  type LintMode,
  type VerifySettings,
} from './settings.js';

export { DEFAULT_CONFIG_FILE, loadConfigFile, type CheckedConfig, type ConfigFile } from '../source/config-file.js';

type Env = Readonly<Record<string, string | undefined>>;
type Reader<T> = (name: string, raw: string, problems: string[]) => T | undefined;

/** Each layered setting's value, read; durations in milliseconds. */
export interface LayeredValues {
  readonly dir: string;
  readonly table: string;
  readonly lockWait: number;
  readonly lockTimeout: number;
  readonly lockRetries: number;
  readonly statementTimeout: number;
  readonly strictOrder: boolean;
  /** The lint's mode; the file's is `lint.mode`, inside its lint settings. */
  readonly lint: LintMode;
  readonly postgresVersion: number;
  readonly postgresBin: string;
  readonly verifyTimeout: number;
  /** verify's server: a flag or the environment, never the file (a URL may hold a password). */
  readonly scratchUrl: string;
}
export type LayeredSetting = keyof LayeredValues;

interface Row<T> {
  /** The flag, without its dashes: `lock-timeout`. */
  readonly flag: string;
  /** The environment variable: `PGSHIFT_LOCK_TIMEOUT`. */
  readonly env: string;
  /** The config file's key, where the file holds it. */
  readonly key?: keyof ConfigFile;
  readonly read: Reader<T>;
}

/** The settings read from flags, the environment and the config file: one row each. */
export const LAYERED: { readonly [K in LayeredSetting]: Row<LayeredValues[K]> } = {
  dir: { flag: 'dir', env: 'PGSHIFT_DIR', key: 'dir', read: nonEmpty },
  table: { flag: 'table', env: 'PGSHIFT_TABLE', key: 'table', read: tableName },
  lockWait: { flag: 'lock-wait', env: 'PGSHIFT_LOCK_WAIT', key: 'lockWait', read: duration },
  lockTimeout: { flag: 'lock-timeout', env: 'PGSHIFT_LOCK_TIMEOUT', key: 'lockTimeout', read: duration },
  lockRetries: { flag: 'lock-retries', env: 'PGSHIFT_LOCK_RETRIES', key: 'lockRetries', read: retries },
  statementTimeout: { flag: 'statement-timeout', env: 'PGSHIFT_STATEMENT_TIMEOUT', key: 'statementTimeout', read: duration },
  strictOrder: { flag: 'strict-order', env: 'PGSHIFT_STRICT_ORDER', key: 'strictOrder', read: boolean },
  lint: { flag: 'lint', env: 'PGSHIFT_LINT', read: lintMode },
  postgresVersion: { flag: 'postgres-version', env: 'PGSHIFT_POSTGRES_VERSION', key: 'postgresVersion', read: postgresVersion },
  postgresBin: { flag: 'postgres-bin', env: 'PGSHIFT_POSTGRES_BIN', key: 'postgresBin', read: nonEmpty },
  verifyTimeout: { flag: 'verify-timeout', env: 'PGSHIFT_VERIFY_TIMEOUT', key: 'verifyTimeout', read: verifyTimeout },
  scratchUrl: { flag: 'scratch-url', env: 'PGSHIFT_SCRATCH_URL', read: nonEmpty },
};

/** Where a value came from: `--lock-timeout`, `PGSHIFT_LOCK_TIMEOUT`, `pgshift.json: lockTimeout`. */
export interface Origin {
  readonly place: 'flag' | 'env' | 'file';
  readonly name: string;
}

export interface Layers {
  /** What the flags (or inputs) gave, as text, by flag name: `{ 'lock-timeout': '3s', 'strict-order': 'true' }`. */
  readonly flags: Readonly<Record<string, string | undefined>>;
  /** How the front end names a flag in its errors: `--lock-timeout` (the default, the CLI's), `lock-timeout` (the action's input). */
  readonly flagName?: (flag: string) => string;
  /** An empty variable counts as unset, as an empty input does. */
  readonly env: Env;
  /** The config file as read (its shape checked), named as given. */
  readonly file?: { readonly file: string; readonly config: ConfigFile } | undefined;
}

export type LayeredResult = { readonly [K in LayeredSetting]?: { readonly value: LayeredValues[K]; readonly from: Origin } };

export interface Resolved {
  /** Each setting given somewhere, from the first place that gives it. */
  readonly values: LayeredResult;
  /** The flags' bad values (the front end reports them with its other usage errors). */
  readonly flagProblems: readonly string[];
  /** The environment's and the file's bad values, one each, with what to do. */
  readonly problems: readonly Problem[];
}

/** Reads every layered setting from every place, in order of precedence; never throws. */
export function resolveLayers(layers: Layers): Resolved {
  const values: Partial<Record<LayeredSetting, { value: unknown; from: Origin }>> = {};
  const flagProblems: string[] = [];
  const problems: Problem[] = [];
  const { file } = layers;
  for (const [setting, row] of Object.entries(LAYERED) as [LayeredSetting, Row<unknown>][]) {
    const raw = layers.env[row.env];
    const fileValue = row.key === undefined ? undefined : file?.config[row.key];
    const places: readonly [Origin, string | undefined, string][] = [
      [{ place: 'flag', name: layers.flagName?.(row.flag) ?? `--${row.flag}` }, layers.flags[row.flag], ''],
      [{ place: 'env', name: row.env }, raw?.trim() === '' ? undefined : raw, `correct ${row.env}, or unset it`],
      [
        { place: 'file', name: `${file?.file}: ${row.key}` },
        fileValue === undefined ? undefined : String(fileValue),
        `correct "${row.key}" in ${file?.file}`,
      ],
    ];
    for (const [from, text, hint] of places) {
      if (text === undefined) continue;
      const found: string[] = [];
      const value = row.read(from.name, text, found);
      if (from.place === 'flag') flagProblems.push(...found);
      else problems.push(...found.map((message) => problem('INVALID_OPTION', message, { hint })));
      if (value !== undefined && values[setting] === undefined) values[setting] = { value, from };
    }
  }
  return { values: values as LayeredResult, flagProblems, problems };
}

/** What a front end runs with, from the layers over the defaults. */
export interface LayeredSettings {
  readonly settings: CommonSettings;
  /** Where the migrations directory was named, when no flag (or input) named it: for the errors about it. */
  readonly dirFrom?: DirectoryOrigin;
  /** verify's settings the layers give; the base and superuser are each front end's own. */
  readonly verify: Pick<VerifySettings, 'scratchUrl' | 'postgresBin' | 'postgresVersion' | 'deadlineMs'>;
}

/**
 * The settings from the values {@link resolveLayers} read, each absent one
 * its default (the engine's: a timeout the server's, verify's deadline 10
 * minutes). `file` names the config file in the errors about the directory.
 */
export function layeredSettings(values: LayeredResult, file: string): LayeredSettings {
  const v = values;
  const dirFrom: DirectoryOrigin | undefined = v.dir?.from.place === 'flag' ? undefined : { place: v.dir?.from.place ?? 'default', file };
  return {
    settings: {
      dir: v.dir?.value ?? DEFAULTS.dir,
      table: v.table?.value ?? DEFAULTS.table,
      strictOrder: v.strictOrder?.value ?? false,
      lockWaitMs: v.lockWait?.value ?? DEFAULTS.lockWaitMs,
      ...(v.lockTimeout !== undefined && { lockTimeoutMs: v.lockTimeout.value }),
      ...(v.lockRetries !== undefined && { lockRetries: v.lockRetries.value }),
      ...(v.statementTimeout !== undefined && { statementTimeoutMs: v.statementTimeout.value }),
    },
    ...(dirFrom !== undefined && { dirFrom }),
    verify: {
      ...(v.scratchUrl !== undefined && { scratchUrl: v.scratchUrl.value }),
      ...(v.postgresBin !== undefined && { postgresBin: v.postgresBin.value }),
      ...(v.postgresVersion !== undefined && { postgresVersion: v.postgresVersion.value }),
      ...(v.verifyTimeout !== undefined && { deadlineMs: v.verifyTimeout.value }),
    },
  };
}

/**
 * The lint's settings: the file's `lint`, its mode under PGSHIFT_LINT and
 * --lint. With `major` (the lint command), the PostgreSQL major too:
 * --postgres-version > PGSHIFT_POSTGRES_VERSION > the file's
 * `lint.postgresVersion` > its `postgresVersion`, the one more about the
 * lint winning within the file.
 */
export function layeredLint(values: LayeredResult, config: ConfigFile, options: { readonly major: boolean }): LintSettings {
  const version = values.postgresVersion;
  const given = version === undefined || version.from.place === 'file' ? (config.lint?.postgresVersion ?? version?.value) : version.value;
  return lintSettings(config, { mode: values.lint?.value, postgresVersion: options.major ? given : undefined });
}

/**
 * Every problem with the settings as one error (undefined when there is
 * none): the command line's (or the inputs') as one USAGE problem with
 * `usageHint`, then each bad variable's and file entry's as its own.
 */
export function settingsFailure(usage: readonly string[], others: readonly Problem[], usageHint: string): PgshiftError | undefined {
  const all = [...(usage.length > 0 ? [problem('USAGE', usage.join('; '), { hint: usageHint })] : []), ...others];
  return all.length === 0 ? undefined : failAll(all, `${all.length} problems with the settings`);
}
