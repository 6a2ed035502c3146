/**
 * The lint's settings as a front end runs it: the config file's (pgshift.json,
 * or the file given), with the flag's or the input's values over them.
 * Every command reads them: the rules themselves are in rules.ts, loaded
 * by the commands that lint.
 */
import type { LintMode } from '../core/lint/lint.js';
import type { LintSettings } from '../core/lint/config.js';
import type { ConfigFile } from '../source/config-file.js';

export { readConfigAt, readConfigFile, type ConfigFile } from '../source/config-file.js';

/** What the command line or the step said of the lint; absent, the config file's setting stands. */
export interface LintGiven {
  readonly mode?: LintMode | undefined;
  readonly postgresVersion?: number | undefined;
}

/** The config file's lint settings with what was given over them. */
export function lintSettings(config: ConfigFile, given: LintGiven): LintSettings {
  return {
    ...config.lint,
    ...(given.mode !== undefined && { mode: given.mode }),
    ...(given.postgresVersion !== undefined && { postgresVersion: given.postgresVersion }),
  };
}
