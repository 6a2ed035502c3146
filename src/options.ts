import { directorySource } from './source/directory.js';
import type { MigrationSource } from './core/ports.js';
import { failAll, problem, type Problem } from './core/problem.js';
import { parseTableName, qualify, type TableName } from './core/table-name.js';
import type { MigratorEvent } from './core/types.js';
import type { ConnectionInput } from './postgres/connection-info.js';
import type { SessionPool } from './postgres/session-pool.js';
import { lintSettingsProblems, type LintSettings } from './core/lint/config.js';
import { backoffOf, backoffProblems, type Backoff, type LockRetryBackoff } from './core/backoff.js';

/** The defaults, in one place; the CLI and the action show and use these. */
export const DEFAULTS = {
  /** The migrations directory. */
  dir: 'migrations',
  /** The tracking table. */
  table: 'schema_migrations',
  /** How long to wait for another run's lock, in milliseconds. */
  lockWaitMs: 60_000,
} as const;

export interface MigratorOptions {
  /** A `postgres://` URL or node-postgres client settings. Needed by everything but `create()` and a files-only `validate()`. */
  readonly connection?: ConnectionInput | undefined;
  /** The migrations directory. Default `migrations`. Ignored when `source` is given. */
  readonly dir?: string | undefined;
  /** Where the migration files come from, instead of `dir`: `memorySource({...})`, say. */
  readonly source?: MigrationSource | undefined;
  /** The tracking table, `name` or `schema.name`. Default `schema_migrations`, in `schema` when one is given. */
  readonly table?: string | undefined;
  /**
   * Schema-per-tenant: the schema every migration runs in. Each session
   * starts with `search_path` set to it (so the migrations' unqualified
   * names land there, in transactions and no-transaction migrations alike),
   * and the tracking table is `<schema>.schema_migrations` (or
   * `<schema>.<table>` for a `table` without a schema), which also keys the
   * run's advisory lock: one lock per schema. A plain name: letters, digits,
   * `_` and `$`, folded to lower case.
   * @example new Migrator({ connection, schema: 'tenant_acme' })
   */
  readonly schema?: string | undefined;
  /** Refuse to apply a pending version lower than the highest applied one. Default false. */
  readonly strictOrder?: boolean | undefined;
  /** How long to wait for another run's lock, in ms. Default 60000. */
  readonly lockWaitMs?: number | undefined;
  /** `lock_timeout` for the migrations' statements, in ms. Default: the server's. */
  readonly lockTimeoutMs?: number | undefined;
  /**
   * How many times a migration that runs out of `lock_timeout` (SQLSTATE
   * 55P03) is retried: rolled back, then run again whole after a backoff
   * (a no-transaction one, the statement that timed out, where it is safe to
   * repeat). Pair it with `lockTimeoutMs`. Default 0.
   * @example new Migrator({ connection, lockTimeoutMs: 2000, lockRetries: 10 })
   */
  readonly lockRetries?: number | undefined;
  /** The waits between lock retries. Default: 1 s doubling to 30 s, equal jitter, no retry later than 5 min after the first attempt. */
  readonly lockRetryBackoff?: LockRetryBackoff | undefined;
  /** `statement_timeout` for the migrations' statements, in ms. Default: the server's. */
  readonly statementTimeoutMs?: number | undefined;
  /** Progress as the run goes (lock waits, each migration's start and end, warnings). */
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined;
  /** How `lint()`, `plan()` and `verify()` lint new migrations. Default: `warn` mode, each rule at its level. */
  readonly lint?: LintSettings | undefined;
  /**
   * Connections shared with other Migrators on the same server (a
   * schema-per-tenant loop, say): each run takes its sessions from the pool
   * and gives them back, reset, when it ends, instead of connecting twice.
   * Close the pool when done. Default: a connection of the run's own.
   * @example const pool = new SessionPool(); … new Migrator({ connection, schema, pool }) …; await pool.close();
   */
  readonly pool?: SessionPool | undefined;
}

/** The settings a front end reads from its flags or inputs, with the defaults filled in; a MigratorOptions subset. */
export interface CommonSettings {
  readonly dir: string;
  readonly table: string;
  readonly strictOrder: boolean;
  readonly lockWaitMs: number;
  readonly lockTimeoutMs?: number;
  readonly lockRetries?: number;
  readonly statementTimeoutMs?: number;
}

/** The options checked, with the defaults filled in. */
export interface Settings {
  readonly connection?: ConnectionInput | undefined;
  /** The directory `create()` writes to. */
  readonly dir: string;
  readonly source: MigrationSource;
  readonly table: TableName;
  /** The tenant's schema, as every session's search_path. */
  readonly searchPath?: string | undefined;
  readonly strictOrder: boolean;
  readonly lockWaitMs: number;
  readonly lockTimeoutMs?: number | undefined;
  readonly lockRetries: number;
  readonly lockRetryBackoff: Backoff;
  readonly statementTimeoutMs?: number | undefined;
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined;
  readonly lint: LintSettings;
  readonly pool?: SessionPool | undefined;
}

/** Checks a Migrator's options once, reporting every bad one together (a PgshiftError). */
export function resolveOptions(options: MigratorOptions): Settings {
  const problems: Problem[] = [];
  const schema = options.schema === undefined ? undefined : parseTableName(options.schema);
  if (schema !== undefined && ('code' in schema || schema.schema !== undefined)) {
    problems.push(
      problem('INVALID_OPTION', `schema must be a plain name (letters, digits, _ and $), got ${JSON.stringify(options.schema)}`, {
        hint: 'give the tenant schema as a name such as tenant_acme',
      }),
    );
  }
  const tenant = schema !== undefined && !('code' in schema) && schema.schema === undefined ? schema.table : undefined;
  const given = parseTableName(options.table ?? DEFAULTS.table);
  const table =
    tenant !== undefined && !('code' in given) && given.schema === undefined
      ? { ...qualify(given, tenant), display: `${tenant}.${given.table}` }
      : given;
  if ('code' in table) problems.push(table);
  for (const key of ['lockWaitMs', 'lockTimeoutMs', 'statementTimeoutMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(problem('INVALID_OPTION', `${key} must be a whole number of milliseconds ≥ 0, got ${String(value)}`));
    }
  }
  if (options.lockRetries !== undefined && !(Number.isInteger(options.lockRetries) && options.lockRetries >= 0)) {
    problems.push(problem('INVALID_OPTION', `lockRetries must be a whole number ≥ 0, got ${String(options.lockRetries)}`));
  }
  problems.push(...backoffProblems(options.lockRetryBackoff).map((message) => problem('INVALID_OPTION', message)));
  problems.push(...lintSettingsProblems(options.lint, 'the lint option'));
  if (options.dir !== undefined && options.dir.trim() === '') {
    problems.push(
      problem('INVALID_OPTION', 'dir must not be empty', { hint: 'set the migrations directory, e.g. migrations', settings: ['dir'] }),
    );
  }
  if (problems.length > 0) throw failAll(problems, `${problems.length} invalid options`);
  const dir = options.dir ?? DEFAULTS.dir;
  return {
    connection: options.connection,
    dir,
    source: options.source ?? directorySource(dir),
    table: table as TableName,
    ...(tenant !== undefined && { searchPath: tenant }),
    strictOrder: options.strictOrder ?? false,
    lockWaitMs: options.lockWaitMs ?? DEFAULTS.lockWaitMs,
    lockTimeoutMs: options.lockTimeoutMs,
    lockRetries: options.lockRetries ?? 0,
    lockRetryBackoff: backoffOf(options.lockRetryBackoff),
    statementTimeoutMs: options.statementTimeoutMs,
    onEvent: options.onEvent,
    lint: options.lint ?? {},
    ...(options.pool !== undefined && { pool: options.pool }),
  };
}
