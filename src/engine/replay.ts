import { noDownWarning } from '../core/history.js';
import { problem, type PgshiftError, type Problem } from '../core/problem.js';
import type { Migration, MigrationFile } from '../core/types.js';
import { describeRestoreDifference, diffSchemas, type SchemaChange, type SchemaSnapshot } from '../schema/index.js';
import type { ScratchServer } from '../scratch/index.js';
import type { CatalogRead } from '../postgres/catalog/index.js';
import type { Observation } from '../core/lint/evidence.js';
import { observeStatements, type BaseRelation } from '../postgres/observe.js';
import type { Settings } from '../options.js';
import { Database, leftovers } from './scratch-database.js';
import type { StepResult, VerifiedMigration } from './verify-report.js';
import type { RehearsalSite } from './rehearse.js';

export interface ReplayInput {
  readonly server: ScratchServer;
  readonly settings: Settings;
  readonly baseName: string;
  /** The base's migrations, as they are on the base. */
  readonly base: readonly MigrationFile[];
  /** The branch's new migrations that parsed, in version order. */
  readonly added: readonly Migration[];
  /** Run the branch's migrations as a superuser on a private server (they run as the database's owner otherwise). */
  readonly superuser?: boolean | undefined;
  /** Told of each step as it starts (`UP of migrations/005_x.sql`), so that a deadline can name the one that was running. */
  readonly onStep?: ((step: string) => void) | undefined;
  /** Rehearses each new migration on seeded rows before it is proven (src/engine/rehearse.ts). */
  readonly rehearse?: ((m: Migration, site: RehearsalSite) => Promise<void>) | undefined;
}

export interface ReplayResult {
  readonly migrations: VerifiedMigration[];
  readonly problems: Problem[];
  /** The schema the base leaves, and the one the branch leaves. */
  readonly before?: SchemaSnapshot;
  readonly after?: SchemaSnapshot;
  readonly baseMs: number;
  readonly migrationsMs: number;
  /** What each UP statement of a new transactional migration did to the base's relations, by version. */
  readonly observed: ReadonlyMap<number, readonly (readonly Observation[])[]>;
  /** Whether the branch's migrations ran as a superuser. */
  readonly superuser: boolean;
}

/**
 * Replays the base's migrations on an empty database, then proves each new
 * migration: UP; DOWN must give back the schema from before UP exactly; UP
 * again must give the same schema as the first UP. Each step runs through
 * the same engine as `migrate` and `rollback`, so a failure reads as it
 * would on merge: file, line, column, the server's message and SQLSTATE.
 */
export async function replay(input: ReplayInput): Promise<ReplayResult> {
  const started = performance.now();
  const db = await Database.create(input);
  try {
    return await prove(input, db, started);
  } finally {
    await db.close();
  }
}

/** A schema the database was seen in: its fingerprint, and its snapshot when a difference must be told. */
type Seen = CatalogRead;

async function prove(input: ReplayInput, first: Database, started: number): Promise<ReplayResult> {
  const step = (what: string) => input.onStep?.(what);
  step(`the migrations of ${input.baseName}`);
  const superuser = await first.branchIsSuperuser();
  const problems = await replayBase(input, first);
  const baseMs = Math.round(performance.now() - started);
  if (problems.length > 0) {
    return { migrations: input.added.map((m) => view(m, 'not-run')), problems, baseMs, migrationsMs: 0, observed: new Map(), superuser };
  }
  const beginning = performance.now();
  const proven = await proveAdded(input, first, problems);
  return { ...proven, problems, baseMs, migrationsMs: Math.round(performance.now() - beginning), superuser };
}

/** The base's migrations on the empty database; what kept them from applying, if anything. */
async function replayBase(input: ReplayInput, db: Database): Promise<Problem[]> {
  const base = await db.runBase(input.base);
  if (!base.error) return [];
  return base.error.problems.map((p) => ({
    ...p,
    code: 'BASE_REPLAY_FAILED' as const,
    message: `the migrations of ${input.baseName} do not apply on an empty database: ${p.message}`,
  }));
}

/** Each new migration in turn on the base's schema: observed, applied, rolled back and applied again. */
async function proveAdded(input: ReplayInput, first: Database, problems: Problem[]) {
  const migrations: VerifiedMigration[] = [];
  const step = (what: string) => input.onStep?.(what);
  let db = first;
  // One session: one query at a time.
  const start: Seen = await db.read();
  let relations = await db.relations();
  const observed = new Map<number, Observation[][]>();
  // A given server is the user's: what a migration leaves outside its database stays there.
  let cluster = input.server.kind === 'given' ? await db.cluster() : undefined;
  let previous = start;
  let stopped = false;
  for (const [index, m] of input.added.entries()) {
    if (stopped) {
      migrations.push(view(m, 'not-run'));
      continue;
    }
    step(`UP of ${m.path}`);
    if (m.transaction === 'transaction') observed.set(m.version, await observe(input, db, m, relations));
    if (input.rehearse) {
      step(`the rehearsal of ${m.path}`);
      const site = { url: db.url, branch: db.connection('branch'), relations, observed: observed.get(m.version) };
      const watched = async () => ({ ...site, relations: await db.withoutTracking(relations), copy: () => db.copy() });
      await input.rehearse(m, m.transaction === 'transaction' ? site : await watched());
    }
    const up = await db.step(m, 'up');
    if (up.error) {
      // The later migrations need this one: they cannot be tried.
      problems.push(...up.error.problems);
      migrations.push(view(m, 'failed'));
      stopped = true;
      cluster = await leftovers(db, m, cluster, problems);
      continue;
    }
    const afterUp: Seen = await db.read();
    previous = await proveDown(db, m, previous, afterUp, { problems, migrations, upMs: up.outcome.durationMs, step });
    cluster = await leftovers(db, m, cluster, problems);
    if (previous !== afterUp) {
      // DOWN or UP again left the database in doubt: the next migrations start on a fresh copy, applied as UP leaves it.
      await db.close();
      db = await Database.create(input);
      const files = [...input.base, ...input.added.slice(0, index + 1)];
      const rebuilt = (await db.runBase(input.base)).error ?? (await db.run(files, { direction: 'up' })).error;
      if (rebuilt) {
        // The later migrations cannot be tried: say why rather than leave them "not run" unexplained.
        stopped = true;
        problems.push(
          ...rebuilt.problems.map((p) => ({
            ...p,
            message: `after ${m.fileName} was left in doubt, a fresh database to go on with could not be built: ${p.message}`,
          })),
        );
      }
      // The same base relations, under the new database's oids.
      const names = new Set(relations.map((r) => r.name));
      relations = (await db.relations()).filter((r) => names.has(r.name));
      previous = afterUp;
    }
  }
  const after = stopped ? await db.snapshot() : previous.snapshot();
  if (db !== first) await db.close();
  return { migrations, before: start.snapshot(), after, observed };
}

/** What each UP statement does to the base's relations, statement by statement in a transaction rolled back. */
function observe(input: ReplayInput, db: Database, m: Migration, relations: readonly BaseRelation[]) {
  const timeout = input.settings.statementTimeoutMs;
  return observeStatements(
    db.connection('branch'),
    m.up.statements,
    relations,
    timeout === undefined ? {} : { statementTimeoutMs: timeout },
  );
}

/**
 * DOWN, then UP again, each compared with the schema it must give. Returns
 * what the database now matches: `afterUp` when both went well, or another
 * value when the database is in doubt.
 */
async function proveDown(
  db: Database,
  m: Migration,
  beforeUp: Seen,
  afterUp: Seen,
  out: { problems: Problem[]; migrations: VerifiedMigration[]; upMs: number | undefined; step: (what: string) => void },
): Promise<Seen> {
  const { problems, migrations, step } = out;
  const timed = out.upMs === undefined ? {} : { upMs: out.upMs };
  if (!m.down) {
    problems.push(noDownWarning(m));
    migrations.push({ ...view(m, 'ok'), ...timed });
    return afterUp;
  }
  step(`DOWN of ${m.path}`);
  const down = await db.step(m, 'down');
  if (down.error) {
    migrations.push({ ...view(m, 'ok'), down: failed(problems, down.error), ...timed });
    return beforeUp;
  }
  const downResult = await compareWith(db, problems, m, beforeUp, 'down');
  step(`UP again of ${m.path}`);
  const again = await db.step(m, 'up');
  const reup = again.error ? failed(problems, again.error, 'REUP_FAILED') : await compareWith(db, problems, m, afterUp, 'reup');
  migrations.push({ ...view(m, 'ok'), down: downResult, reup, ...timed });
  return reup === 'ok' ? afterUp : beforeUp;
}

/**
 * The database's schema against the one it must be in: equal fingerprints
 * prove it equal; only when they differ are the snapshots made, to say how.
 */
async function compareWith(db: Database, problems: Problem[], m: Migration, expected: Seen, step: 'down' | 'reup'): Promise<StepResult> {
  const now = await db.read();
  if (now.fingerprint === expected.fingerprint) return 'ok';
  return compare(problems, m, expected.snapshot(), now.snapshot(), step);
}

/** A migration the check could not get to. */
export const notRun = (m: Migration): VerifiedMigration => view(m, 'not-run');

function view(m: Migration, up: StepResult): VerifiedMigration {
  return {
    version: m.version,
    name: m.name,
    file: m.path,
    transaction: m.transaction,
    hasDown: m.down !== undefined,
    up,
    down: m.down ? 'not-run' : 'none',
    reup: m.down ? 'not-run' : 'none',
    upSql: m.up.sql.trim(),
    ...(m.down && { downSql: m.down.sql.trim() }),
  };
}

function failed(problems: Problem[], error: PgshiftError, code?: 'REUP_FAILED'): StepResult {
  problems.push(...error.problems.map((p) => (code ? { ...p, code, message: `UP again, after DOWN: ${p.message}` } : p)));
  return 'failed';
}

/**
 * The schema must be what it was: after DOWN, as before UP; after UP again,
 * as after the first UP. A column order that differs (DROP COLUMN then ADD
 * COLUMN puts it last) is a warning; anything else fails the check.
 */
function compare(problems: Problem[], m: Migration, expected: SchemaSnapshot, actual: SchemaSnapshot, step: 'down' | 'reup'): StepResult {
  const changes = diffSchemas(expected, actual);
  if (changes.length === 0) return 'ok';
  const order = changes.filter((c) => c.kind === 'order');
  const real = changes.filter((c) => c.kind !== 'order');
  const words = (list: SchemaChange[]) =>
    step === 'down'
      ? describeRestoreDifference(list)
      : describeRestoreDifference(list, { expected: 'after the first UP', actual: 'after UP again' });
  const subject = step === 'down' ? `DOWN of ${m.fileName}` : `UP again after DOWN of ${m.fileName}`;
  for (const line of words(order)) {
    problems.push(
      problem('DOWN_ORDER_DIFFERS', `${subject}: ${line}`, {
        severity: 'warning',
        file: m.path,
        version: m.version,
        hint: 'a column put back with ADD COLUMN comes last; if the order matters, re-create the table in DOWN',
      }),
    );
  }
  for (const line of words(real)) {
    problems.push(
      problem(step === 'down' ? 'DOWN_NOT_RESTORED' : 'REUP_DIFFERS', `${subject} ${line}`, {
        file: m.path,
        version: m.version,
        hint: step === 'down' ? 'make DOWN undo exactly what UP does' : 'make UP give the same schema every time it runs after DOWN',
      }),
    );
  }
  return real.length > 0 ? 'differs' : 'ok';
}
