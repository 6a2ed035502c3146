import type pg from 'pg';
import { PgshiftError, combine } from './core/errors.js';
import { blockingError, compareHistory, selectToApply, selectToRollback, type History, type RollbackSelector } from './core/history.js';
import { fileError, planRun } from './core/run-plan.js';
import { parseAll } from './core/migration.js';
import type { TableName } from './core/table-name.js';
import type {
  AppliedMigration,
  CreatedMigration,
  Migration,
  MigrationOutcome,
  MigrationSource,
  MigratorEvent,
  PendingMigration,
  Plan,
  Problem,
  RunReport,
  Status,
} from './core/types.js';
import { checkOptions } from './options.js';
import { connect, disconnect, type ConnectionInput } from './postgres/connection.js';
import { acquireLock } from './postgres/lock.js';
import { runMigration, type Direction } from './postgres/run-migration.js';
import { prepareTracking, readTracking, type TrackingState } from './postgres/tracking.js';
import { createMigrationFile } from './source/create-file.js';
import { readMigrations } from './source/read-directory.js';

export interface MigratorOptions {
  /** A `postgres://` URL or node-postgres client settings. Needed by everything but `create()`. */
  readonly connection?: ConnectionInput;
  /** The migrations directory. Default `migrations`. */
  readonly dir?: string;
  /** The tracking table, `name` or `schema.name`. Default `schema_migrations`. */
  readonly table?: string;
  /** Refuse to apply a pending version lower than the highest applied one. Default false. */
  readonly strictOrder?: boolean;
  /** How long to wait for another run's lock, in ms. Default 60000. */
  readonly lockWaitMs?: number;
  /** `lock_timeout` for the migrations' statements, in ms. Default: the server's. */
  readonly lockTimeoutMs?: number;
  /** `statement_timeout` for the migrations' statements, in ms. Default: the server's. */
  readonly statementTimeoutMs?: number;
  /** Progress as the run goes (lock waits, each migration's start and end). */
  readonly onEvent?: (event: MigratorEvent) => void;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** False when no connection was given: only the files were checked. */
  readonly checked_database: boolean;
  readonly files: number;
}

/**
 * Plain-SQL migrations for PostgreSQL.
 *
 * @example
 * const migrator = new Migrator({ connection: process.env.DATABASE_URL, dir: 'migrations' });
 * const report = await migrator.migrate();
 * if (!report.ok) throw report.error;
 */
export class Migrator {
  readonly dir: string;
  readonly table: TableName;
  private readonly options: MigratorOptions;

  /** Checks every option at once; throws a PgshiftError (code INVALID_OPTION or INVALID_TABLE_NAME) listing all that are wrong. */
  constructor(options: MigratorOptions) {
    const table = checkOptions(options);
    this.options = options;
    this.dir = options.dir ?? 'migrations';
    this.table = table;
  }

  /** What is applied, what is pending, and what is wrong with the history. Changes nothing. */
  async status(): Promise<Status> {
    return (await this.inspect()).status;
  }

  /** Migrations not yet applied, in the order `migrate()` would apply them. */
  async pending(): Promise<readonly PendingMigration[]> {
    return (await this.status()).pending;
  }

  /** Applied migrations in version order, with whether each file still matches. */
  async applied(): Promise<readonly AppliedMigration[]> {
    return (await this.status()).applied;
  }

  /** What `migrate({ target })` would do, with each migration's SQL. Changes nothing. */
  async plan(options: { readonly target?: number } = {}): Promise<Plan> {
    return (await this.inspect(options)).plan;
  }

  /**
   * `status()` and `plan()` from one read of the files and the table, for a
   * caller that shows both (the GitHub Action's pull-request check). Changes nothing.
   */
  async inspect(options: { readonly target?: number } = {}): Promise<{ readonly status: Status; readonly plan: Plan }> {
    const { history, tracking } = await this.read();
    throwFileErrors(history);
    const status = statusOf(history, tracking, this.table);
    const chosen = new Map(selectToApply(history, options.target).map((m) => [m.version, m]));
    const pending = history.pendingInfo.flatMap((p) => {
      const migration = chosen.get(p.version);
      return migration ? [{ ...p, sql: migration.up.sql.trim(), checksum: migration.checksum }] : [];
    });
    const ok = blockingError(history.problems) === undefined;
    return { status, plan: { pending, problems: history.problems, ok, table: this.table.display } };
  }

  /** Checks the files, and the history when a connection was given. Never throws for what it finds. */
  async validate(): Promise<ValidationReport> {
    let migrations: MigrationSource[];
    try {
      migrations = await readMigrations(this.dir);
      const { errors } = parseAll(migrations);
      if (errors.length > 0) throw combine(errors, `${errors.length} migration files have problems`);
    } catch (error) {
      if (!(error instanceof PgshiftError) || error.code.startsWith('DIR_')) throw error;
      const all = error.problems.length > 0 ? error.problems : [error];
      const problems = all.map((p): Problem => ({
        kind: 'invalid-file',
        severity: 'error',
        message: p.message,
        ...(p.location?.file !== undefined && { file: p.location.file }),
        ...(p.location?.line !== undefined && { line: p.location.line }),
        ...(p.hint !== undefined && { hint: p.hint }),
      }));
      return { ok: false, problems, checked_database: false, files: 0 };
    }
    if (this.options.connection === undefined) {
      return { ok: true, problems: [], checked_database: false, files: migrations.length };
    }
    const client = await connect(this.options.connection, this.options);
    try {
      const tracking = await readTracking(client, this.table);
      const history = compareHistory(migrations, tracking.rows, this.options);
      const ok = history.problems.every((p) => p.severity !== 'error');
      return { ok, problems: history.problems, checked_database: true, files: migrations.length };
    } finally {
      await disconnect(client);
    }
  }

  /**
   * Applies pending migrations up to `target` (inclusive). Never throws: a
   * failure is in `report.error`. With `status: true` the report carries the
   * status after the run, read on the run's own connection (one more round
   * trip at most, none for a no-op run).
   */
  async migrate(options: { readonly target?: number; readonly status?: boolean } = {}): Promise<RunReport> {
    return this.run('up', (history) => selectToApply(history, options.target), options.status === true);
  }

  /** Undoes the most recently applied migrations: `{ steps }` of them (default 1) or all above `{ target }`. Never throws. `options.status` as for migrate(). */
  async rollback(selector: RollbackSelector = { steps: 1 }, options: { readonly status?: boolean } = {}): Promise<RunReport> {
    return this.run('down', (history) => selectToRollback(history, selector), options.status === true);
  }

  /** Writes the next migration file from the template; never overwrites. */
  async create(name: string, now: Date = new Date()): Promise<CreatedMigration> {
    return createMigrationFile(this.dir, name, now);
  }

  private async read(): Promise<{ history: History; tracking: TrackingState }> {
    const { migrations, client, tracking } = await this.open();
    await disconnect(client);
    return { history: compareHistory(migrations, tracking.rows, this.options), tracking };
  }

  /**
   * Reads the files and, at the same time, connects and reads the tracking
   * table, so the round trips overlap the file I/O. A problem with the files
   * wins over a connection failure: bad input is reported first.
   */
  private async open(): Promise<{ migrations: MigrationSource[]; client: pg.Client; tracking: TrackingState }> {
    const connection = this.requireConnection();
    const connecting = connect(connection, this.options).then(async (client) => {
      try {
        return { client, tracking: await readTracking(client, this.table) };
      } catch (error) {
        await disconnect(client);
        throw error;
      }
    });
    // Handled at once: it may fail while the files are still being read.
    connecting.catch(() => {});
    let migrations: MigrationSource[];
    try {
      migrations = await readMigrations(this.dir);
    } catch (error) {
      void connecting.then(
        ({ client }) => disconnect(client),
        () => {},
      );
      throw error;
    }
    return { migrations, ...(await connecting) };
  }

  private requireConnection(): ConnectionInput {
    if (this.options.connection === undefined) {
      throw new PgshiftError('INVALID_OPTION', 'no database to connect to', {
        hint: 'give a connection: --database-url or DATABASE_URL (or the PG* variables) for the CLI, the connection input for the action, the connection option for the library',
      });
    }
    return this.options.connection;
  }

  /**
   * The one sequence for both directions: read files, read the table without
   * the lock (a no-op run ends here, one round trip), take the lock, read
   * again (another run may have moved on), check, then run each migration.
   */
  private async run(
    direction: Direction,
    select: (history: History) => readonly Migration[] | PgshiftError,
    withStatus: boolean,
  ): Promise<RunReport> {
    const started = performance.now();
    const results: MigrationOutcome[] = [];
    let warnings: readonly Problem[] = [];
    let waited = false;
    let client: pg.Client | undefined;
    let migrations: readonly MigrationSource[] = [];
    let tracking: TrackingState | undefined;
    const emit = (event: MigratorEvent) => this.options.onEvent?.(event);
    const report = async (error?: PgshiftError): Promise<RunReport> => {
      const status = withStatus && client && tracking ? await this.statusAfter(client, migrations, tracking, results) : undefined;
      return {
        ok: error === undefined,
        direction,
        results,
        warnings,
        ...(error && { error }),
        ...(status && { status }),
        waited_for_lock: waited,
        duration_ms: Math.round(performance.now() - started),
      };
    };

    try {
      const opened = await this.open();
      migrations = opened.migrations;
      client = opened.client;
      tracking = opened.tracking;
      const checkRun = (state: TrackingState) =>
        planRun({
          migrations,
          rows: state.rows,
          maxVersion: state.maxVersion,
          table: this.table.display,
          direction,
          select,
          options: this.options,
        });
      let plan = checkRun(tracking);
      if (plan.todo.length === 0 || plan.error) {
        warnings = plan.warnings;
        return await report(plan.error);
      }
      const waitedMs = await acquireLock(client, {
        table: this.table,
        waitMs: this.options.lockWaitMs ?? 60_000,
        onWait: (holder) => {
          waited = true;
          emit({ type: 'lock-wait', holder });
        },
      });
      emit({ type: 'lock-acquired', waitedMs });
      tracking = await readTracking(client, this.table);
      plan = checkRun(tracking);
      warnings = plan.warnings;
      for (const problem of warnings) emit({ type: 'warning', problem });
      if (plan.error) return await report(plan.error);
      if (direction === 'up' && plan.todo.length > 0) await prepareTracking(client, this.table, tracking);

      for (const [index, migration] of plan.todo.entries()) {
        emit({ type: 'migration-start', direction, migration });
        try {
          const done = outcome(migration, 'success', await runMigration(client, this.table, migration, direction));
          results.push(done);
          emit({ type: 'migration-done', outcome: done });
        } catch (error) {
          const failed = outcome(migration, 'error');
          results.push(failed);
          emit({ type: 'migration-done', outcome: failed });
          for (const rest of plan.todo.slice(index + 1)) results.push(outcome(rest, 'not-executed'));
          return await report(error instanceof PgshiftError ? error : new PgshiftError('DATABASE_ERROR', String(error)));
        }
      }
      return await report();
    } catch (error) {
      if (error instanceof PgshiftError) return await report(error);
      return await report(new PgshiftError('DATABASE_ERROR', error instanceof Error ? error.message : String(error), { cause: error }));
    } finally {
      if (client) await disconnect(client);
    }
  }

  /** The status once a run is over: the table as last read when nothing changed, read again when something did. */
  private async statusAfter(
    client: pg.Client,
    migrations: readonly MigrationSource[],
    tracking: TrackingState,
    results: readonly MigrationOutcome[],
  ): Promise<Status | undefined> {
    try {
      const state = results.some((r) => r.status === 'success') ? await readTracking(client, this.table) : tracking;
      return statusOf(compareHistory(migrations, state.rows, this.options), state, this.table);
    } catch {
      // The session may be gone (the failure being reported); the run's outcome stands without it.
      return undefined;
    }
  }
}

function statusOf(history: History, tracking: TrackingState, table: TableName): Status {
  const latest = history.applied.at(-1);
  return {
    applied_count: history.applied.length,
    pending_count: history.pending.length,
    applied: history.applied,
    pending: history.pendingInfo,
    problems: history.problems,
    table: table.display,
    table_exists: tracking.exists,
    current_version: latest ? latest.version : null,
  };
}

function throwFileErrors(history: History): void {
  const error = fileError(history);
  if (error) throw error;
}

/** A migration's line in a run report. */
function outcome(m: Migration, status: MigrationOutcome['status'], durationMs?: number): MigrationOutcome {
  return {
    version: m.version,
    name: m.name,
    file: m.path,
    transaction: m.transaction,
    status,
    ...(durationMs !== undefined && { duration_ms: durationMs }),
  };
}
