/**
 * pgshift: plain-SQL schema migrations for PostgreSQL.
 * The public API; the CLI and the GitHub Action use nothing else.
 */
export { Migrator } from './migrator.js';
export { DEFAULTS, type CommonSettings, type MigratorOptions } from './options.js';
export { connectionFromEnv } from './environment.js';
export {
  describeConnection,
  formatConnection,
  secretsOf,
  type ConnectionDescription,
  type ConnectionInput,
} from './postgres/connection-info.js';
export {
  PgshiftError,
  SETTING_NAMES,
  errorsOf,
  fail,
  formatLocation,
  formatProblem,
  hintFor,
  problem,
  type LintDetails,
  type Problem,
  type ProblemCode,
  type ProblemFields,
  type ServerDetails,
  type Setting,
  type Severity,
} from './core/problem.js';
export type { DbClient, MigrationListing, MigrationSource, QueryResult } from './core/ports.js';
export { directorySource } from './source/directory.js';
export { memorySource } from './source/memory.js';
export {
  DEFAULT_CONFIG_FILE,
  parseConfig,
  readConfigAt,
  readConfigFile,
  type ConfigAtCommit,
  type ConfigFile,
} from './source/config-file.js';
export { earlierContents, gitSource, isShallowClone, type GitSourceOptions } from './source/git.js';
export type { Repaired, RepairOptions, RepairReport } from './engine/repair.js';
export {
  defaultBase,
  ensureCommit,
  gitParents,
  gitRevParse,
  hasCommit,
  mergeBase,
  remoteBranch,
  type BaseSearchOptions,
} from './source/git-base.js';
export { DEFAULT_VERIFY_TIMEOUT_MS, type VerifyOptions } from './engine/verify.js';
export type { LintReport, LintRequest } from './engine/lint.js';
export type { LintSettings } from './core/lint/config.js';
export type { LintMode, RuleSetting } from './core/lint/lint.js';
export { RULES, RULE_NAMES, type Family, type Level, type RuleName } from './core/lint/rules.js';
export type { SandboxReport, StepResult, VerifiedMigration, VerifyReport } from './engine/verify-report.js';
export { describeChanges, type SchemaChange, type SummaryGroup, type SummaryLine } from './schema/index.js';
export {
  createdJson,
  lintReportJson,
  errorJson,
  planJson,
  problemJson,
  runReportJson,
  statusJson,
  repairJson,
  validationJson,
  verifyJson,
  type SettingWords,
} from './json.js';
export { outcomeLine, progressLine, type Paint, type ProgressLine, type Tone } from './progress.js';
export { formatDuration, parseDuration } from './core/duration.js';
export { MIN_SECRET_LENGTH, redactor, secretForms } from './core/redact.js';
export { unexpectedError } from './engine/unexpected.js';
export type * from './core/types.js';
export type { RollbackSelector } from './core/history.js';
