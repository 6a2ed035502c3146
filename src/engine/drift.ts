import { createParser } from '../core/migration.js';
import { errorsOf, PgshiftError, type Problem } from '../core/problem.js';
import type { MigrationFile } from '../core/types.js';
import { snapshotSchema } from '../postgres/catalog/index.js';
import {
  describeDrift,
  diffSchemas,
  driftChanges,
  driftScope,
  ownedSchemas,
  type SchemaChange,
  type SchemaSnapshot,
} from '../schema/index.js';
import type { ScratchCluster, ScratchServer } from '../scratch/index.js';
import type { Settings } from '../options.js';
import { historyOf } from './inspect.js';
import { openAll } from './open.js';
import { Database } from './scratch-database.js';
import { startServer, type VerifyOptions } from './verify.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from './defaults.js';
import { guard } from './verify-guard.js';

/** Where the applied history is replayed, and what is not drift. */
export interface DriftOptions extends Pick<VerifyOptions, 'scratchUrl' | 'postgresBin' | 'tempRoot' | 'env' | 'deadlineMs'> {
  /**
   * The PostgreSQL major of the private server. Default: the target's, when
   * its binaries are found; otherwise whichever release is found.
   */
  readonly postgresVersion?: number | undefined;
  /**
   * Objects managed elsewhere, by glob on their qualified names (`*` any
   * characters, `?` one): `public.*_p20*` leaves out monthly partitions with
   * their columns, indexes and constraints. Default none.
   */
  readonly exclude?: readonly string[] | undefined;
}

/** What `drift()` returns: how the database differs from what its applied migrations make. */
export interface DriftReport {
  /** True when nothing differs and no problem stopped the check. */
  readonly ok: boolean;
  /** How many applied migrations were replayed. */
  readonly applied: number;
  /** The scratch server the history was replayed on; absent when none was started. */
  readonly server?: { readonly version: string; readonly kind: 'private' | 'given' };
  /** The schemas compared: those the migrations made, and public. */
  readonly schemas: readonly string[];
  /** From the replayed schema to the database's: each difference, and each in words. */
  readonly changes: readonly SchemaChange[];
  readonly differences: readonly string[];
  /** What stopped the check: an applied file edited or gone, a replay that failed, a deadline. */
  readonly problems: readonly Problem[];
  /** Time spent in each phase, in ms. */
  readonly phases: { readonly read: number; readonly server: number; readonly replay: number; readonly total: number };
}

/**
 * Replays the migrations the tracking table records as applied on an empty
 * scratch database (as merged code, like verify's base), reads the target's
 * catalog on a read-only session, and compares the two in the schemas the
 * migrations own. Changes nothing on the target. Throws a PgshiftError when
 * it cannot look: no connection, no files, no scratch server
 * (SCRATCH_UNAVAILABLE).
 */
export async function drift(settings: Settings, options: DriftOptions = {}): Promise<DriftReport> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const target = await readTarget(settings);
  const read = since();
  const empty = { applied: target.files.length, schemas: [], changes: [], differences: [] };
  if (errorsOf(target.problems).length > 0) {
    return { ...empty, ok: false, problems: target.problems, phases: { read, server: 0, replay: 0, total: read } };
  }
  const server = await startPreferring(options, target.major);
  const serverMs = since() - read;
  const deadlineMs = options.deadlineMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const dir = server.kind === 'private' ? (server as ScratchCluster).dir : undefined;
  const watch = guard(server, { deadlineMs, started, dir });
  const ran = { ...empty, server: { version: server.version, kind: server.kind } };
  try {
    let replayed: SchemaSnapshot | Problem[];
    try {
      watch.step('the replay of the applied migrations');
      replayed = await replayApplied(server, settings, target.files);
    } catch (error) {
      watch.stop();
      const cut = await watch.verdict(error);
      if (!cut) throw error;
      replayed = [cut];
    }
    watch.stop();
    const phases = { read, server: serverMs, replay: since() - read - serverMs, total: since() };
    if (Array.isArray(replayed)) return { ...ran, ok: false, problems: [...target.problems, ...replayed], phases };
    const owned = ownedSchemas(replayed);
    const changes = driftChanges(diffSchemas(driftScope(replayed, owned), driftScope(target.snapshot, owned)), options.exclude ?? []);
    return {
      ...ran,
      ok: changes.length === 0,
      schemas: [...owned].sort(),
      changes,
      differences: changes.map(describeDrift),
      problems: target.problems,
      phases,
    };
  } finally {
    watch.stop();
    await server.stop();
  }
}

/** The applied files, what is wrong with the history, the target's snapshot and major: one read-only session. */
async function readTarget(settings: Settings) {
  const { listing, session, tracking } = await openAll(settings, { readOnly: true });
  try {
    const history = historyOf(listing, tracking.rows, settings, createParser());
    const files = tracking.rows
      .map((row) => history.byVersion.get(row.version))
      .filter((f): f is MigrationFile => f !== undefined)
      .sort((a, b) => a.version - b.version);
    const { table } = settings;
    const snapshot = await snapshotSchema(session.client, {
      exclude: [{ ...(table.schema !== undefined && { schema: table.schema }), table: table.table }],
    });
    const problems = [...errorsOf(listing.problems), ...history.problems];
    return { files, snapshot, problems, major: session.serverMajor() };
  } finally {
    await session.close();
  }
}

/** The target's major first, when no release was asked for and the binaries are here; any release otherwise. */
async function startPreferring(options: DriftOptions, major: number | undefined): Promise<ScratchServer> {
  if (options.scratchUrl !== undefined || options.postgresVersion !== undefined || major === undefined) return startServer(options);
  try {
    return await startServer({ ...options, postgresVersion: major });
  } catch (error) {
    if (!(error instanceof PgshiftError) || error.code !== 'SCRATCH_UNAVAILABLE' || options.postgresBin !== undefined) throw error;
    return startServer(options);
  }
}

/** The applied migrations on an empty database, as the base role: the schema they make, or why they did not apply. */
async function replayApplied(
  server: ScratchServer,
  settings: Settings,
  files: readonly MigrationFile[],
): Promise<SchemaSnapshot | Problem[]> {
  const db = await Database.create({ server, settings, baseName: 'the applied migrations', base: files, added: [] });
  try {
    const report = await db.runBase(files);
    if (report.error) {
      return report.error.problems.map((p) => ({
        ...p,
        code: 'BASE_REPLAY_FAILED' as const,
        message: `the applied migrations do not apply on an empty database: ${p.message}`,
      }));
    }
    return await db.snapshot();
  } finally {
    await db.close();
  }
}
