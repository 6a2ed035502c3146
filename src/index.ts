/**
 * pgshift: plain-SQL schema migrations for PostgreSQL.
 * The public API; the CLI and the GitHub Action use nothing else.
 */
export { Migrator, type MigratorOptions, type ValidationReport } from './migrator.js';
export { connectionFromEnv } from './environment.js';
export { describeConnection, secretsOf, type ConnectionInput } from './postgres/connection.js';
export { PgshiftError, formatLocation, type ErrorCode, type ErrorJson, type SourceLocation } from './core/errors.js';
export { runReportJson } from './report.js';
export { parseDuration } from './core/duration.js';
export type * from './core/types.js';
export type { RollbackSelector } from './core/history.js';
