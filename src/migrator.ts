import type { RollbackSelector } from './core/history.js';
import type { AppliedMigration, CreatedMigration, PendingMigration, Plan, RunReport, Status, ValidationReport } from './core/types.js';
import type { TableName } from './core/table-name.js';
import type { LintReport, LintRequest } from './engine/lint.js';
import type { DriftOptions, DriftReport } from './engine/drift.js';
import type { DriftCheck } from './engine/drift-gate.js';
import type { RepairOptions, RepairReport } from './engine/repair.js';
import type { VerifyOptions } from './engine/verify.js';
import type { WaitOptions, WaitReport } from './engine/wait.js';
import type { VerifyReport } from './engine/verify-report.js';
import { resolveOptions, type MigratorOptions, type Settings } from './options.js';

// Each method loads its part of the engine when first called: a process that only migrates never loads the
// lint's rules, the SQL parser, the scratch server's code or the schema model (nor does one that only lints load
// the driver). Node caches each module, so later calls pay nothing.
const engine = {
  inspect: () => import('./engine/inspect.js'),
  lint: () => import('./engine/lint.js'),
  run: () => import('./engine/run.js'),
  drift: () => import('./engine/drift.js'),
  driftGate: () => import('./engine/drift-gate.js'),
  repair: () => import('./engine/repair.js'),
  verify: () => import('./engine/verify.js'),
  wait: () => import('./engine/wait.js'),
  create: () => import('./source/create-file.js'),
};

export interface InspectOptions {
  /** Up to this version, inclusive. */
  readonly target?: number;
  /**
   * Open the session with every transaction read-only
   * (`default_transaction_read_only`), so the server itself refuses a
   * write: for a look at production from a pull request's check.
   */
  readonly readOnly?: boolean;
}

/**
 * Plain-SQL migrations for PostgreSQL: one engine behind the CLI and the
 * GitHub Action. The commands that look (`status`, `plan`, `validate`)
 * return every problem they find; the commands that act (`migrate`,
 * `rollback`) refuse to start while an error-level problem exists, return a
 * report, and never throw.
 *
 * @example
 * import { Migrator } from 'pgshift';
 *
 * const migrator = new Migrator({ connection: process.env.DATABASE_URL, dir: 'migrations' });
 * const report = await migrator.migrate();
 * if (!report.ok) throw report.error;
 */
export class Migrator {
  /** The directory `create()` writes to (and the files are read from, unless a `source` was given). */
  readonly dir: string;
  /** The tracking table, checked and folded to lower case. */
  readonly table: TableName;
  private readonly settings: Settings;

  /**
   * Checks every option at once; throws a PgshiftError (code `INVALID_OPTION`
   * or `INVALID_TABLE_NAME`) listing all that are wrong.
   *
   * @example
   * const migrator = new Migrator({
   *   connection: 'postgres://app@db.internal:5432/app', // or node-postgres client settings
   *   dir: 'migrations',              // default
   *   table: 'schema_migrations',     // default
   *   lockWaitMs: 60_000,             // default
   *   onEvent: (event) => console.log(event.type),
   * });
   */
  constructor(options: MigratorOptions) {
    this.settings = resolveOptions(options);
    this.dir = this.settings.dir;
    this.table = this.settings.table;
  }

  /**
   * What is applied, what is pending, and every problem with the files and
   * the history, all at once. Changes nothing. Throws a PgshiftError only
   * when it cannot look: no connection, no such directory, no server.
   *
   * @example
   * const status = await migrator.status();
   * console.log(`${status.appliedCount} applied, ${status.pendingCount} pending`);
   * for (const problem of status.problems) console.log(problem.severity, problem.message);
   */
  async status(): Promise<Status> {
    return (await (await engine.inspect()).inspect(this.settings)).status;
  }

  /**
   * Waits until the database has `atLeast` (or a later version) applied,
   * for a deploy that must not start before its migration. Polls the
   * tracking table every `intervalMs` (default 2000) on one read-only
   * session, for at most `timeoutMs` (default 600000, 10 min); a tracking
   * table that does not exist yet is waited for like any missing version.
   * Reads no migration files. `onEvent` gets a `wait-progress` event at the
   * start and then every 30 s, and `wait-unreachable` when the connection
   * is lost; it is then made again with a backoff (the interval doubling to
   * 30 s). Throws a PgshiftError when it cannot look: bad options, no
   * connection at the start, a tracking table it cannot read, a server
   * still unreachable when the time runs out.
   *
   * @example
   * const result = await migrator.wait({ atLeast: 42, timeoutMs: 5 * 60_000 });
   * if (!result.reached) throw new Error(`database at ${result.currentVersion}, not 42, after ${result.waitedMs} ms`);
   */
  async wait(options: WaitOptions): Promise<WaitReport> {
    return (await engine.wait()).waitFor(this.settings, options);
  }

  /**
   * Migrations not yet applied, in the order `migrate()` would apply them.
   *
   * @example
   * for (const m of await migrator.pending()) console.log(`${m.version} ${m.name}`);
   */
  async pending(): Promise<readonly PendingMigration[]> {
    return (await this.status()).pending;
  }

  /**
   * Applied migrations in version order, with whether each file still matches.
   *
   * @example
   * const edited = (await migrator.applied()).filter((m) => m.fileState === 'changed');
   */
  async applied(): Promise<readonly AppliedMigration[]> {
    return (await this.status()).applied;
  }

  /**
   * What `migrate({ target })` would do, with each migration's SQL, and
   * whether a problem would stop it (`ok`). Changes nothing. The pending
   * files' statements are checked with PostgreSQL's own parser: one it
   * refuses is a `SYNTAX_ERROR` problem at its file, line and column.
   *
   * @example
   * const plan = await migrator.plan({ target: 5 });
   * for (const m of plan.pending) console.log(m.file, m.sql);
   * if (!plan.ok) console.log('migrate would refuse:', plan.problems);
   */
  async plan(options: { readonly target?: number } = {}): Promise<Plan> {
    return (await (await engine.inspect()).inspect(this.settings, { target: options.target, syntax: true })).plan;
  }

  /**
   * `status()` and `plan()` from one read of the files and the table, for a
   * caller that shows both (the GitHub Action's pull-request check). Changes nothing.
   *
   * @example
   * const { status, plan } = await migrator.inspect();
   */
  async inspect(options: InspectOptions = {}): Promise<{ readonly status: Status; readonly plan: Plan }> {
    return (await engine.inspect()).inspect(this.settings, { target: options.target, readOnly: options.readOnly === true, syntax: true });
  }

  /**
   * Checks every file (applied ones too) and, when a connection was given,
   * the history. Every statement, UP and DOWN, goes through PostgreSQL's own
   * parser, offline: one it refuses is a `SYNTAX_ERROR` problem at its file,
   * line and column, with PostgreSQL's message. Never throws for what it finds.
   *
   * @example
   * const report = await migrator.validate();
   * if (!report.ok) process.exitCode = 1;
   */
  async validate(): Promise<ValidationReport> {
    return (await engine.inspect()).validate(this.settings);
  }

  /**
   * Applies pending migrations up to `target` (inclusive), each in its own
   * transaction with its tracking row, under a lock against other runs.
   * Never throws: a failure is in `report.error`. With `status: true` the
   * report carries the status after the run, read on the run's own
   * connection (one more round trip at most, none for a no-op run).
   *
   * @example
   * const report = await migrator.migrate({ target: 5 });
   * if (!report.ok) console.error(report.error?.format()); // "file:line:col: message (SQLSTATE)"
   * for (const r of report.results) console.log(r.file, r.status, r.durationMs);
   *
   * With `drift`, the database is first compared with what its applied
   * migrations make (see `drift()`): `mode: 'fail'` refuses to apply when
   * anything differs (code `DRIFT`, one problem per difference, nothing
   * run), `'warn'` reports the differences as warnings and applies, `'off'`
   * (the default) does not look. Without a scratch server to replay on, the
   * check is skipped with a `DRIFT_CHECK_SKIPPED` warning and the apply goes on.
   *
   * @example
   * const report = await migrator.migrate({ drift: { mode: 'fail', env: process.env, exclude: ['public.*_p20*'] } });
   */
  async migrate(options: { readonly target?: number; readonly status?: boolean; readonly drift?: DriftCheck } = {}): Promise<RunReport> {
    return (await engine.driftGate()).migrateChecked(this.settings, { target: options.target }, options.status === true, options.drift);
  }

  /**
   * Undoes the most recently applied migrations: `{ steps }` of them
   * (default 1) or all above `{ target }`, newest first, each by its DOWN
   * part. Either every one of them can be undone or none is. Never throws.
   * `options.status` as for `migrate()`.
   *
   * @example
   * const report = await migrator.rollback({ steps: 2 }); // or { target: 3 }
   */
  async rollback(selector: RollbackSelector = { steps: 1 }, options: { readonly status?: boolean } = {}): Promise<RunReport> {
    return (await engine.run()).runMigrations(this.settings, { direction: 'down', selector }, options.status === true);
  }

  /**
   * Proves the migrations a branch adds on a throwaway PostgreSQL: the
   * base's migrations replayed on an empty database, then each new one
   * applied, rolled back (the schema must be as before, exactly) and applied
   * again. Also compares the files with the base's as a history. Needs no
   * connection; the server is a private one started from the PostgreSQL
   * binaries on this machine, or `scratchUrl`. Never throws for what it
   * finds; throws a PgshiftError when it cannot start (no server, no base).
   *
   * @example
   * import { Migrator, gitSource } from 'pgshift';
   *
   * const report = await new Migrator({ dir: 'migrations' }).verify({
   *   base: gitSource({ ref: 'origin/main', dir: 'migrations' }),
   *   baseName: 'origin/main',
   *   env: process.env,
   * });
   * for (const m of report.migrations) console.log(m.file, m.up, m.down, m.reup);
   */
  async verify(options: VerifyOptions): Promise<VerifyReport> {
    return (await engine.verify()).verify(this.settings, options);
  }

  /**
   * Compares the database with what its applied migrations make: the
   * migrations its tracking table records as applied are replayed on an
   * empty scratch database (a private server from the PostgreSQL binaries on
   * this machine, by default of the database's major, or `scratchUrl`), the
   * database's catalog is read on a read-only session, and every difference
   * in the schemas the migrations own (those they made, and public) is
   * reported in words: an index, a column, a constraint, a default, a
   * function made or changed by hand. Extensions and their objects, owners
   * and the tracking table are never drift; `exclude` leaves out objects by
   * glob on their qualified names. Changes nothing on the database. Throws
   * a PgshiftError when it cannot look (no connection; SCRATCH_UNAVAILABLE:
   * no server to replay on).
   *
   * @example
   * const report = await migrator.drift({ env: process.env, exclude: ['public.*_p20*'] });
   * for (const line of report.differences) console.log(line); // "index public.orders_note_idx exists in the database but no migration made it"
   */
  async drift(options: DriftOptions = {}): Promise<DriftReport> {
    return (await engine.drift()).drift(this.settings, options);
  }

  /**
   * Lints the UP parts as deploy-time SQL, without a database: what would
   * rewrite or scan a table under a lock that blocks production, build an
   * index without CONCURRENTLY, destroy what running code uses, wait for a
   * lock with no lock_timeout, or change many rows in one transaction. Each
   * finding says what the statement does in lock terms and gives the safe
   * way as SQL. By default every migration is linted as its own deploy;
   * `files` or `base` lint a set as one deploy (a pull request's), on the
   * schema the other files leave; `files` may be paths to files outside the
   * directory. The linted files' statements, UP and DOWN, go through
   * PostgreSQL's own parser: one it refuses is a `SYNTAX_ERROR` problem.
   * Never throws for what it finds.
   *
   * @example
   * const report = await migrator.lint({ files: ['007_add_orders_index.sql'] });
   * for (const f of report.findings) console.log(`${f.file}:${f.line}`, f.lint?.rule, f.message, f.lint?.fix);
   */
  async lint(request: LintRequest = {}): Promise<LintReport> {
    return (await engine.lint()).lint(this.settings, request);
  }

  /**
   * Records current checksums where that loses nothing: rows pycopg wrote
   * without one, and applied files whose only change since they were
   * applied is in comments or white space, or in the DOWN part, which never
   * ran (their applied content is looked
   * for with `options.earlier`, e.g. `earlierContents` from git). Refuses
   * anything else, with the reason, and then records nothing. Never touches
   * the schema.
   *
   * @example
   * import { earlierContents } from 'pgshift';
   * const report = await migrator.repair({ earlier: (file) => earlierContents(file.path) });
   * for (const r of report.repaired) console.log(r.file, r.reason, r.diff);
   */
  async repair(options: RepairOptions = {}): Promise<RepairReport> {
    return (await engine.repair()).repair(this.settings, options);
  }

  /**
   * Writes the next migration file from the template into `dir`; never overwrites.
   *
   * @example
   * const created = await migrator.create('add orders table'); // { path: 'migrations/006_add_orders_table.sql', version: 6, ... }
   */
  async create(name: string, now: Date = new Date()): Promise<CreatedMigration> {
    return (await engine.create()).createMigrationFile(this.dir, name, now);
  }
}
