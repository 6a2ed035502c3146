/**
 * pgshift: plain-SQL schema migrations for PostgreSQL.
 * The library's public API: the Migrator, its options and what its methods
 * return, where migrations come from, and the problems it reports. What only
 * the CLI and the GitHub Action need is in frontend/, which they alone import.
 */
export { Migrator } from './migrator.js';
export { Fleet, type FleetOptions } from './fleet/fleet.js';
export type { TargetSpec, Target } from './fleet/targets.js';
export type { WaveSpec } from './fleet/waves.js';
export type {
  ErrorRecord,
  FleetCommand,
  FleetCounts,
  FleetEvent,
  FleetRunReport,
  FleetStatus,
  FleetSummary,
  FleetWaitReport,
  Ledger,
  TargetRecord,
  TargetStatus,
  TargetStatusReport,
} from './core/fleet.js';
export type {
  FleetImpact,
  FleetLook,
  ImpactRequest,
  ImpactTable,
  TableOnTarget,
  TableWork,
  TargetImpact,
  TargetImpactState,
} from './core/fleet-impact.js';
export type { MigratorOptions } from './options.js';
export { SessionPool } from './postgres/session-pool.js';
export { VERSION } from './version.js';
export { connectionFromEnv } from './environment.js';
export type { ConnectionInput, ConnectionSettings } from './postgres/connection-info.js';
export { PgshiftError, hintFor, type Problem, type ProblemCode, type Setting, type Severity } from './core/problem.js';
export type { MigrationListing, MigrationSource } from './core/ports.js';
export { directorySource } from './source/directory.js';
export { memorySource } from './source/memory.js';
export { earlierContents, gitSource, type GitSourceOptions } from './source/git.js';
export type {
  AppliedMigration,
  CreatedMigration,
  LockBlocker,
  LockRetryEvent,
  Migration,
  MigrationFile,
  MigrationOutcome,
  MigratorEvent,
  PendingMigration,
  Plan,
  PlannedMigration,
  RunReport,
  Status,
  ValidationReport,
} from './core/types.js';
export type { LockRetryBackoff } from './core/backoff.js';
export type { RollbackSelector } from './core/history.js';
export type { LintReport, LintRequest } from './engine/lint.js';
export type { LintSettings } from './core/lint/config.js';
export type { RuleName } from './core/lint/rules.js';
export { DEFAULT_VERIFY_TIMEOUT_MS, DEFAULT_WAIT_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS } from './engine/defaults.js';
export type { VerifyOptions } from './engine/verify.js';
export type { SandboxReport, StepResult, VerifiedMigration, VerifyReport } from './engine/verify-report.js';
export type { MigrationRehearsal, Rehearsal, StatementMeasurement, StatementRun, TableMeasure } from './core/rehearsal/types.js';
export type { DriftOptions, DriftReport } from './engine/drift.js';
export type { DriftCheck, DriftMode } from './engine/drift-gate.js';
export type { RepairOptions, RepairReport } from './engine/repair.js';
export type { WaitOptions, WaitReport } from './engine/wait.js';
/** The snake_case documents `--json` prints, for the library's reports. */
export { errorJson, planJson, runReportJson, statusJson, validationJson, waitJson } from './json.js';
