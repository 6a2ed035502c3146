import { compareBranch } from '../core/branch.js';
import { createParser, isProblem } from '../core/migration.js';
import type { MigrationSource } from '../core/ports.js';
import { errorsOf, type Problem } from '../core/problem.js';
import type { Migration, MigrationFile } from '../core/types.js';
import { openSession } from '../postgres/pg-client.js';
import { diffSchemas, summarizeChanges } from '../schema/index.js';
import {
  findPostgres,
  scratchConnection,
  scratchFromUrl,
  startScratchCluster,
  type Env,
  type PostgresBinaries,
  type ScratchCluster,
  type ScratchServer,
} from '../scratch/index.js';
import type { Settings } from '../options.js';
import { notRun, replay, type ReplayResult } from './replay.js';
import { guard } from './verify-guard.js';
import { lintFiles } from './lint.js';
import { DEFAULT_TARGET_MAJOR } from '../core/lint/config.js';
import type { LintFinding } from '../core/lint/lint.js';
import { lintFacts } from '../schema/lint-facts.js';
import { loadParser, type SqlParser } from '../sql/parser.js';
import { tableSizes, type TableSize } from '../postgres/table-sizes.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import type { SandboxReport, VerifyReport } from './verify-report.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from './defaults.js';
import { DEFAULT_REHEARSE_ROWS, rehearser, type Rehearser } from './rehearse.js';
import { weigh } from '../core/rehearsal/weigh.js';
import { impactRequest, type FleetLook } from '../core/fleet-impact.js';
import { readAcknowledgements } from '../core/lint/acknowledge.js';

/** Where the branch's migrations are checked against, and on what server. */
export interface VerifyOptions {
  /** The base's migrations: those applied where the branch will be merged (`gitSource({ ref: 'origin/main', dir })`). */
  readonly base: MigrationSource;
  /** How to name the base in messages: `origin/main`, a commit. */
  readonly baseName: string;
  /** A server to make throwaway databases on (for extensions such as PostGIS), instead of a private one. */
  readonly scratchUrl?: string | undefined;
  /** Where initdb and postgres are, when not found on their own. */
  readonly postgresBin?: string | undefined;
  /** Only this PostgreSQL major release. */
  readonly postgresVersion?: number | undefined;
  /** Where the private server's temporary directory goes (RUNNER_TEMP on GitHub runners). */
  readonly tempRoot?: string | undefined;
  /** The environment the binaries are searched in (PATH, PGBIN); the library reads none on its own. */
  readonly env?: Env | undefined;
  /**
   * The whole check's deadline in ms (default {@link DEFAULT_VERIFY_TIMEOUT_MS}):
   * past it the private server and every process it started are stopped from
   * outside, and the report says which migration was running.
   */
  readonly deadlineMs?: number | undefined;
  /**
   * How much disk a private server may fill before it is stopped (default
   * 2 GiB, or half the free space it found, whichever is less).
   */
  readonly diskLimitBytes?: number | undefined;
  /**
   * Run the branch's migrations as a superuser on the private server. By
   * default they run as the owner of the database and of all the base made,
   * without superuser rights: a pull request's SQL is a stranger's code, and
   * a superuser can run programs and read files on the runner. Turn it on
   * only where the runner holds nothing to protect.
   */
  readonly superuser?: boolean | undefined;
  /** A (read-only) connection to production: the findings then name the size of the tables they are about, from its catalog. */
  readonly production?: ConnectionInput | undefined;
  /**
   * Rows per table for the rehearsal (default {@link DEFAULT_REHEARSE_ROWS};
   * 0: none): each new migration (a no-transaction one on copies of the
   * scratch database, watched from a second session) runs on the base's tables
   * filled with this many synthetic rows (and with a tiny number), and what
   * each statement did (blocking locks and how long they were held, rows read
   * and written, rewrites, index builds, names gone, how long a reader and a
   * writer waited) decides the findings.
   */
  readonly rehearseRows?: number | undefined;
  /**
   * A fleet to look at, read-only (a `Fleet`, whose targets' URLs should be
   * read-only roles on a pull request): the report then says how many of its
   * targets lack the new migrations and the largest tables the findings
   * rewrite or scan there, by target. Only the tracking table and the
   * catalog's estimates are read; nothing of the branch runs on a target.
   */
  readonly fleet?: FleetLook | undefined;
}

/**
 * Proves the branch's migrations on a throwaway server: the base's
 * migrations are replayed on an empty database, then each migration the
 * branch adds is applied, rolled back (the schema must be as before,
 * exactly) and applied again (the schema must be as after the first time).
 * The files are compared with the base's as a history first: an edited,
 * deleted or renumbered base migration, or a version below the base's, is
 * reported with the rest. Throws only when it cannot start: no base to
 * read, no server to run on.
 */
export async function verify(settings: Settings, options: VerifyOptions): Promise<VerifyReport> {
  const report = await prove(settings, options);
  if (options.fleet === undefined || report.migrations.length === 0) return report;
  // After the proof: the findings name the tables whose size on each target matters.
  return { ...report, fleet: await options.fleet.impact(impactRequest(report.migrations, report.findings)) };
}

/** The proof on the scratch server, and the lint. */
async function prove(settings: Settings, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  // PostgreSQL's parser, for the lint, compiles while the files are read and the server starts.
  const parsing = settings.lint.mode === 'off' ? undefined : loadParser();
  // The binaries are looked for while the files are read: that starts nothing, whatever the branch turns out to add.
  const finding = findBinaries(options);
  const change = await readChange(settings, options);
  const read = Math.round(performance.now() - started);
  const { added, problems } = change;
  const report = { base: options.baseName, baseMigrations: change.base.length, problems };
  // Nothing new to prove: the history alone is checked, and no server is started.
  if (added.length === 0) {
    const phases = { read, server: 0, base: 0, migrations: 0, total: read };
    return { ...report, ok: errorsOf(problems).length === 0, migrations: [], findings: [], schemaChanges: [], schemaSummary: [], phases };
  }
  // Production's table sizes, for the lint, are read while the server starts and the migrations run.
  const sizing =
    parsing === undefined || options.production === undefined
      ? undefined
      : tableSizes(options.production).catch(() => new Map<string, TableSize>());
  const server = await startServer(options, await finding);
  const serverMs = Math.round(performance.now() - started) - read;
  const deadlineMs = options.deadlineMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const watch = guard(server, {
    deadlineMs,
    started,
    dir: server.kind === 'private' ? (server as ScratchCluster).dir : undefined,
    ...(options.diskLimitBytes !== undefined && { diskLimitBytes: options.diskLimitBytes }),
  });
  const rows = options.rehearseRows ?? DEFAULT_REHEARSE_ROWS;
  const rehearsal = rows > 0 ? rehearser({ rows, timeoutMs: settings.statementTimeoutMs || 60_000 }) : undefined;
  try {
    const { result, cut } = await replayWatched(watch, {
      rehearse: rehearsal?.rehearse,
      server,
      settings,
      baseName: options.baseName,
      base: change.base,
      added,
      superuser: options.superuser,
      onStep: watch.step,
    });
    problems.push(...(cut ? [cut] : result!.problems));
    const sandbox: SandboxReport = {
      server: server.kind,
      ...(server.osUser !== undefined && { osUser: server.osUser }),
      minimalEnvironment: server.kind === 'private',
      superuser: result?.superuser ?? (server.kind === 'given' || options.superuser === true),
      deadlineMs,
    };
    const ran = { ...report, server: { version: server.version, kind: server.kind }, sandbox };
    const total = () => Math.round(performance.now() - started);
    if (result === undefined || cut) {
      const phases = { read, server: serverMs, base: 0, migrations: 0, total: total() };
      const migrations = result?.migrations ?? added.map(notRun);
      return { ...ran, ok: false, migrations, findings: [], schemaChanges: [], schemaSummary: [], phases };
    }
    const schemaChanges = result.before && result.after ? diffSchemas(result.before, result.after) : [];
    const parser = parsing && (await parsing);
    const sizes = await sizing;
    const lint = parser ? lintObserved(change, result, settings, { parser, server, sizes }) : [];
    const { findings, rehearsed } = weighed(lint, rehearsal, sizes, settings, added);
    return {
      ...ran,
      ...(rehearsed && { rehearsal: rehearsed }),
      ok: errorsOf(problems).length === 0 && errorsOf(findings).length === 0,
      findings,
      migrations: result.migrations,
      schemaChanges,
      schemaSummary: summarizeChanges(schemaChanges),
      phases: { read, server: serverMs, base: result.baseMs, migrations: result.migrationsMs, total: total() },
    };
  } finally {
    watch.stop();
    await server.stop();
  }
}

/** The branch's change over the base: the migrations it adds, parsed, and what is wrong with its history. */
async function readChange(settings: Settings, options: VerifyOptions) {
  const [base, head] = await Promise.all([options.base.read(), settings.source.read()]);
  const changes = compareBranch(base, head, options.baseName);
  const parse = createParser();
  const problems: Problem[] = [...changes.problems];
  const added: Migration[] = [];
  for (const file of changes.added) {
    const parsed = parse(file);
    if (isProblem(parsed)) problems.push(parsed);
    else added.push(parsed);
  }
  return { base: changes.base, head, added, addedFiles: new Set(changes.added), parse, problems };
}

/** The replay under the guard: its result, or the guard's verdict when the deadline or the disk cap cut it (other errors thrown). */
async function replayWatched(
  watch: ReturnType<typeof guard>,
  request: Parameters<typeof replay>[0],
): Promise<{ result?: ReplayResult; cut?: Problem }> {
  let result: ReplayResult | undefined;
  let thrown: unknown;
  try {
    result = await replay(request);
  } catch (error) {
    thrown = error;
  }
  // No deadline after the work is done: a timer firing now would throw a finished check away.
  watch.stop();
  const cut = await watch.verdict(thrown);
  if (cut) return result ? { result, cut } : { cut };
  if (thrown !== undefined) throw thrown;
  return { result: result! };
}

/** The lint of the added migrations on the base's schema as the catalog has it, for the scratch server's major, with what was seen. */
function lintObserved(
  change: Awaited<ReturnType<typeof readChange>>,
  result: ReplayResult,
  settings: Settings,
  at: { readonly parser: SqlParser; readonly server: ScratchServer; readonly sizes: ReadonlyMap<string, TableSize> | undefined },
): LintFinding[] {
  const postgresVersion = Number.parseInt(at.server.version, 10) || settings.lint.postgresVersion || DEFAULT_TARGET_MAJOR;
  const facts = result.before ? lintFacts(result.before, at.sizes) : undefined;
  const chosen = (file: MigrationFile) => change.addedFiles.has(file);
  const options = { together: true, postgresVersion, facts, observed: result.observed, parser: at.parser };
  return lintFiles(change.head.files, chosen, change.parse, settings, options, []).findings;
}

/** The lint's findings weighed against the rehearsal's measurements, when there was one. */
function weighed(
  lint: readonly LintFinding[],
  rehearsal: Rehearser | undefined,
  sizes: ReadonlyMap<string, TableSize> | undefined,
  settings: Settings,
  added: readonly Migration[],
) {
  if (!rehearsal) return { findings: lint.map((f) => f.problem) };
  const productionRows = sizes && new Map([...sizes].map(([name, size]) => [name, size.rows]));
  const { complete, ...measured } = rehearsal.result(productionRows);
  // With the lint off, the measurements are shown and judge nothing.
  if (settings.lint.mode === 'off') return { findings: [], rehearsed: measured };
  const setting = settings.lint.rules?.['measured-hazard'];
  const level = setting === 'off' ? 'off' : settings.lint.mode === 'error' ? 'error' : (setting ?? 'error');
  const acknowledgements = new Map(added.map((m) => [m.version, readAcknowledgements(m)]));
  const { findings, cleared } = weigh(lint, measured, complete, { level, acknowledgements });
  return { findings, rehearsed: { ...measured, cleared } };
}

type ServerOptions = Pick<VerifyOptions, 'scratchUrl' | 'postgresBin' | 'postgresVersion' | 'tempRoot' | 'env'>;

const findOptions = (options: ServerOptions) => ({
  env: options.env ?? {},
  platform: process.platform,
  ...(options.postgresBin !== undefined && { bin: options.postgresBin }),
  ...(options.postgresVersion !== undefined && { major: options.postgresVersion }),
});

/** The binaries a private server would start from, or undefined (none found, or a given server): the start then looks again and says why. */
function findBinaries(options: ServerOptions): Promise<PostgresBinaries | undefined> {
  if (options.scratchUrl !== undefined) return Promise.resolve(undefined);
  return findPostgres(findOptions(options)).catch(() => undefined);
}

/** A scratch server as verify's options name it: the given URL's, or a private one started from the binaries found (or given). */
export async function startServer(options: ServerOptions, binaries?: PostgresBinaries): Promise<ScratchServer> {
  const connect = (url: string) => openSession(scratchConnection(url));
  if (options.scratchUrl !== undefined) return scratchFromUrl(options.scratchUrl, { connect });
  return startScratchCluster({
    connect,
    ...findOptions(options),
    ...(binaries !== undefined && { binaries }),
    ...(options.tempRoot !== undefined && { tempRoot: options.tempRoot }),
  });
}
