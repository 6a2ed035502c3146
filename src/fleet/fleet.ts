import { errorsOf, problem, type Problem } from '../core/problem.js';
import type { MigrationSource } from '../core/ports.js';
import { inShard } from '../core/shard.js';
import {
  mergeLedgers,
  type FleetEvent,
  type FleetRunReport,
  type FleetStatus,
  type FleetSummary,
  type FleetWaitReport,
} from '../core/fleet.js';
import { DEFAULTS, resolveOptions } from '../options.js';
import { directorySource } from '../source/directory.js';
import type { Ledger } from './ledger.js';
import type { RunContext } from './start.js';
import type { TargetSettings } from './target-run.js';
import { withPool } from '../postgres/session-pool.js';
import type { Target, TargetSpec } from './targets.js';
import type { WaveSpec } from './waves.js';
import type { FleetImpact, ImpactRequest } from '../core/fleet-impact.js';

// The fleet's parts are loaded when a method runs: a program that imports
// pgshift for one database (the CLI's other commands) does not load them.
const parts = {
  ledger: () => import('./ledger.js'),
  look: () => import('./look.js'),
  start: () => import('./start.js'),
  run: () => import('./target-run.js'),
  targets: () => import('./targets.js'),
  targetsSql: () => import('./targets-sql.js'),
  waves: () => import('./waves.js'),
  impact: () => import('./impact.js'),
};

export interface FleetOptions extends TargetSettings {
  /** The targets, as pgshift.json's `targets` lists them (checked: a URL or password in them is refused). */
  readonly targets: readonly TargetSpec[];
  /** Where the targets were listed, for messages: `targets.json`, `pgshift.json: targets`. Default `targets`. */
  readonly targetsFrom?: string;
  /** Where each target's `urlEnv` is read. The library reads no environment of its own: pass `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The connection of targets without `urlEnv` (schema-per-tenant on one database). */
  readonly defaultConnection?: string;
  /** Where the waves were written, for messages. Default `waves`. */
  readonly wavesFrom?: string;
  /** Waves, in order. Default: one canary, then 10 %, then the rest. */
  readonly waves?: readonly WaveSpec[];
  /** Targets migrated (or looked at) at once, for waves that do not say. Default 8. */
  readonly concurrency?: number;
  /** Targets at once on one server (each holds up to two connections while it migrates). Default 10. */
  readonly perServer?: number;
  /** Only this shard of the targets: `{ index: 2, count: 16 }` (see `fleet shard`). */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Where run ledgers are written. Default `.pgshift/runs`. */
  readonly ledgerDir?: string;
  /** Progress as the run goes. */
  readonly onFleetEvent?: (event: FleetEvent | { readonly type: 'run-start'; readonly runId: string; readonly ledger: string }) => void;
}

/** The options that are the fleet's, not each target's Migrator's. */
const FLEET_ONLY = [
  'targets',
  'env',
  'defaultConnection',
  'waves',
  'concurrency',
  'perServer',
  'shard',
  'ledgerDir',
  'onFleetEvent',
] as const;

/**
 * Many databases, or many schemas, migrated by the same engine as one: in
 * waves, with a stop rule, a ledger per run, and resumable. Every method
 * returns a report and never throws; problems with the targets (a duplicated
 * id, an unset variable, an unreachable server) come back all together
 * before anything runs.
 *
 * @example
 * import { Fleet } from 'pgshift';
 *
 * const fleet = new Fleet({
 *   targets: [{ id: 'acme', urlEnv: 'ACME_DATABASE_URL' }, { id: 'globex', urlEnv: 'GLOBEX_DATABASE_URL' }],
 *   env: process.env,
 *   dir: 'migrations',
 * });
 * const report = await fleet.migrate();
 * if (!report.ok) console.error(report.problems, report.targets.filter((t) => t.status !== 'done'));
 */
export class Fleet {
  constructor(private readonly options: FleetOptions) {}

  /**
   * Ledgers (of a matrix's jobs, or of several runs) merged into one
   * summary: each target's latest record. Never throws: an unreadable
   * ledger is a problem.
   *
   * @example
   * const { summary } = await Fleet.report(['ledgers/shard-1.json', 'ledgers/shard-2.json']);
   * console.log(summary.counts);
   */
  static async report(paths: readonly string[]): Promise<{ readonly summary: FleetSummary; readonly problems: readonly Problem[] }> {
    const [{ readLedger }, { problemsOf }] = await Promise.all([parts.ledger(), parts.run()]);
    const problems: Problem[] = [];
    const ledgers: Ledger[] = [];
    for (const path of paths) {
      try {
        ledgers.push(await readLedger(path));
      } catch (error) {
        problems.push(...problemsOf(error));
      }
    }
    return { summary: mergeLedgers(ledgers), problems };
  }

  /**
   * The targets a query on a control database lists: columns `id`,
   * `url_env`, `schema`, `labels` (json). Read-only; never throws.
   *
   * @example
   * const { targets } = await Fleet.targetsFromSql(process.env.DATABASE_URL!, 'SELECT id, null AS url_env, schema, labels FROM tenants');
   */
  static async targetsFromSql(
    connection: string,
    sql: string,
  ): Promise<{ readonly targets: unknown[]; readonly problems: readonly Problem[] }> {
    const { problemsOf } = await parts.run();
    try {
      const { list, problems } = await (await parts.targetsSql()).targetsFromSql(connection, sql);
      return { targets: list, problems };
    } catch (error) {
      return { targets: [], problems: problemsOf(error) };
    }
  }

  /** The files, read once for every target of every run (re-read on each call to the fleet's methods). */
  private source: MigrationSource | undefined;

  private get settings(): TargetSettings {
    const settings: Record<string, unknown> = { ...this.options };
    for (const key of FLEET_ONLY) delete settings[key];
    return { ...(settings as TargetSettings), ...(this.source !== undefined && { source: this.source }) };
  }

  /** Reads the migration files once for the targets of one call, instead of once per target. */
  private readOnce(): void {
    const given = this.options.source ?? directorySource(this.options.dir ?? DEFAULTS.dir);
    let listing: ReturnType<MigrationSource['read']> | undefined;
    this.source = { ...given, read: () => (listing ??= given.read()) };
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 8;
  }

  /** What a run needs of the fleet. */
  private context(): RunContext {
    return {
      options: this.options,
      settings: this.settings,
      concurrency: this.concurrency,
      source: this.source!,
      targets: () => this.targets(),
    };
  }

  /** The targets checked, with the problems that stop anything from running: all of them at once. */
  async targets(
    options: { readonly reach?: boolean } = {},
  ): Promise<{ readonly targets: readonly Target[]; readonly problems: readonly Problem[] }> {
    const [{ checkSpecs, resolveTargets, unreachable }, { checkWaves }, { problemsOf }] = await Promise.all([
      parts.targets(),
      parts.waves(),
      parts.run(),
    ]);
    const checked = checkSpecs(this.options.targets, this.options.targetsFrom ?? 'targets');
    const wavesProblems = this.options.waves === undefined ? [] : checkWaves(this.options.waves, this.options.wavesFrom ?? 'waves');
    const resolved = resolveTargets(checked.specs, this.options.env, {
      ...(this.options.defaultConnection !== undefined && { connection: this.options.defaultConnection }),
      from: 'DATABASE_URL',
    });
    const targets = this.options.shard ? inShard(resolved.targets, this.options.shard) : resolved.targets;
    // The settings every target's Migrator gets, checked once here rather than failing each target.
    const settingsProblems = (() => {
      try {
        resolveOptions(this.settings);
        return [];
      } catch (error) {
        return problemsOf(error);
      }
    })();
    const problems = [...settingsProblems, ...checked.problems, ...wavesProblems, ...resolved.problems];
    if (checked.specs.length === 0 && checked.problems.length === 0) {
      problems.push(
        problem('INVALID_OPTION', 'no targets', { hint: 'list targets in pgshift.json ("targets"), a --targets file or --targets-sql' }),
      );
    }
    if (options.reach !== false) problems.push(...(await unreachable(targets, this.concurrency)));
    return { targets, problems };
  }

  /**
   * Every target's applied version and pending migrations, read-only, in parallel.
   *
   * @example
   * const status = await fleet.status();
   * console.log(status.histogram); // "48 at 3, 2 at 2"
   */
  async status(options: { readonly plan?: boolean; readonly target?: number } = {}): Promise<FleetStatus> {
    this.readOnce();
    const { targets, problems } = await this.targets();
    if (errorsOf(problems).length > 0) return { ok: false, problems, targets: [], histogram: '', pendingTargets: 0, failedTargets: 0 };
    const { histogram, statusAll } = await parts.look();
    const reports = await statusAll(targets, this.settings, this.concurrency, {
      ...(options.plan && { plan: true }),
      ...(options.target !== undefined && { version: options.target }),
    });
    const failedTargets = reports.filter((r) => r.error !== undefined || errorsOf(r.problems).length > 0).length;
    return {
      ok: failedTargets === 0,
      problems,
      targets: reports,
      histogram: histogram(reports),
      pendingTargets: reports.filter((r) => r.pending.length > 0).length,
      failedTargets,
    };
  }

  /** verify's fleet line (pass the Fleet as verify's `fleet`): see {@link fleetImpact}. Read-only; never throws. */
  async impact(request: ImpactRequest): Promise<FleetImpact> {
    const { settings, concurrency, options } = this;
    const { fleetImpact } = await parts.impact();
    return fleetImpact(request, { options, settings, concurrency, targets: () => this.targets({ reach: false }) });
  }

  /** What `migrate()` would run on each target. */
  async plan(options: { readonly target?: number } = {}): Promise<FleetStatus> {
    return this.status({ ...options, plan: true });
  }

  /**
   * Migrates every target, wave by wave. With `resume` (a run id), targets
   * that run finished are skipped and the others (failed, not started,
   * interrupted) run again, in the same ledger.
   *
   * With `atomic`, every target or none, in place of the waves: each
   * target's pending migrations run in one transaction that is prepared
   * (`PREPARE TRANSACTION`), then all are committed or all rolled back; refused
   * before anything runs when a server has `max_prepared_transactions = 0`
   * or a pending migration is no-transaction (see `runAtomic`).
   *
   * @example
   * const report = await fleet.migrate();
   * console.log(report.runId, report.ledgerPath, report.counts);
   */
  async migrate(options: { readonly target?: number; readonly resume?: string; readonly atomic?: boolean } = {}): Promise<FleetRunReport> {
    this.readOnce();
    return (await parts.start()).startRun(this.context(), 'migrate', options);
  }

  /**
   * Rolls every target back: one migration each when they all stand at the
   * same version, else only with `target` (the version to go back to); refused
   * otherwise, before anything runs.
   */
  async rollback(options: { readonly target?: number; readonly resume?: string } = {}): Promise<FleetRunReport> {
    this.readOnce();
    return (await parts.start()).startRun(this.context(), 'rollback', options);
  }

  /**
   * Waits until every target (or those whose labels hold all of `select`) has
   * `atLeast` applied. Reads no migration files.
   *
   * @example
   * const result = await fleet.wait({ atLeast: 42, timeoutMs: 600_000 });
   */
  async wait(options: {
    readonly atLeast: number;
    readonly timeoutMs?: number;
    readonly intervalMs?: number;
    readonly select?: Readonly<Record<string, string>>;
  }): Promise<FleetWaitReport> {
    const started = Date.now();
    const { targets: all, problems } = await this.targets({ reach: false });
    const select = options.select ?? {};
    const targets = all.filter((t) => Object.entries(select).every(([k, v]) => t.labels[k] === v));
    const base = { problems, targets: targets.length };
    if (errorsOf(problems).length > 0) return { ...base, reached: false, behind: [], waitedMs: Date.now() - started };
    const timeout = options.timeoutMs ?? 600_000;
    const [{ currentVersion, mapLimit }, { errorRecord }] = await Promise.all([parts.look(), parts.run()]);
    let left: Target[] = [...targets];
    let behind: FleetWaitReport['behind'] = [];
    // The polls reuse their sessions: a thousand schemas are not a thousand connections every interval.
    return withPool(this.settings, async (settings) => {
      for (;;) {
        const versions = await mapLimit(left, this.concurrency, (t) =>
          currentVersion(t, settings).then(
            (v) => ({ v }),
            (error: unknown) => ({ error: errorRecord(error) }),
          ),
        );
        behind = left.flatMap((t, i): FleetWaitReport['behind'] => {
          const read = versions[i]!;
          if ('error' in read) return [{ id: t.id, currentVersion: undefined, error: read.error }];
          return read.v !== null && read.v >= options.atLeast ? [] : [{ id: t.id, currentVersion: read.v }];
        });
        const ids = new Set(behind.map((b) => b.id));
        left = left.filter((t) => ids.has(t.id));
        const waited = Date.now() - started;
        if (left.length === 0 || waited >= timeout) return { ...base, reached: left.length === 0, behind, waitedMs: waited };
        await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 2000, timeout - waited)));
      }
    });
  }
}
