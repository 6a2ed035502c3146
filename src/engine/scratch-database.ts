import { PgshiftError, problem, type Problem } from '../core/problem.js';
import { outcomeOf } from '../core/views.js';
import type { Direction, Migration, MigrationFile } from '../core/types.js';
import { CatalogTracker, snapshotSchema, type CatalogRead, type SnapshotOptions } from '../postgres/catalog/index.js';
import { baseRelations, type BaseRelation } from '../postgres/observe.js';
import { openSession, type Session } from '../postgres/pg-client.js';
import type { SchemaSnapshot } from '../schema/index.js';
import { clusterChanges, clusterState, handOver, scratchConnection, templateName, type ClusterState } from '../scratch/index.js';
import { quoteIdent } from '../core/identifier.js';
import { fixedSource } from '../source/fixed.js';
import type { ReplayInput } from './replay.js';
import { runMigrations } from './run.js';
import { unexpectedError } from './unexpected.js';
import type { StepResult } from './run-step.js';
import { openStepSession, type StepSession } from './step-session.js';

type Request = Parameters<typeof runMigrations>[1];

/**
 * A scratch database with a session for snapshots (the server's own user);
 * replaced by a fresh one when a proof leaves it in doubt. The base runs as
 * the server's base role, the branch's migrations as its owner role, step
 * by step on one session of theirs.
 */
export class Database {
  private steps: StepSession | undefined;
  private readonly catalog: CatalogTracker;

  private constructor(
    private readonly input: ReplayInput,
    readonly url: string,
    private session: Session,
  ) {
    this.catalog = new CatalogTracker(this.snapshotOptions());
  }

  static async create(input: ReplayInput): Promise<Database> {
    const url = await input.server.createDatabase();
    return new Database(input, url, await openSession(scratchConnection(url)));
  }

  /** How the base (`base`) or the branch's migrations (`branch`) connect: never with a password the server did not get from its URL. */
  connection(who: 'base' | 'branch', url = this.url) {
    const roles = this.input.server.roles;
    if (!roles) return scratchConnection(url);
    return scratchConnection(url, who === 'base' || this.input.superuser ? roles.base : roles.owner);
  }

  /**
   * A new database, a copy of this one as it is now (CREATE DATABASE …
   * TEMPLATE), owned as this one is; returns how the branch's migrations
   * connect to it, and how to drop it. PostgreSQL copies a database nobody is connected to:
   * this one's sessions are closed for the copy, and its snapshot session
   * opened again.
   */
  async copy() {
    await this.closeSteps();
    await this.session.close();
    let url: string;
    try {
      url = await this.input.server.createDatabase({ template: this.url });
    } finally {
      this.session = await openSession(scratchConnection(this.url));
    }
    const { roles } = this.input.server;
    if (roles) await this.session.client.query(`ALTER DATABASE ${quoteIdent(templateName(url))} OWNER TO ${quoteIdent(roles.owner)}`);
    const server = this.input.server;
    return { connection: this.connection('branch', url), drop: () => server.dropDatabase(url) };
  }

  /** The base's migrations, as the base role; then all they made is handed to the owner. */
  async runBase(files: readonly MigrationFile[]) {
    const report = await this.runAs('base', files, { direction: 'up' });
    const { roles, major } = this.input.server;
    if (!report.error && roles) await handOver(this.session.client, new URL(this.url).pathname.slice(1), roles, major);
    return report;
  }

  /** Migrations of `files` as the branch's role, through the engine, as `migrate` or `rollback` would. */
  run(files: readonly MigrationFile[], request: Request) {
    return this.runAs('branch', files, request);
  }

  private runAs(who: 'base' | 'branch', files: readonly MigrationFile[], request: Request) {
    const { settings } = this.input;
    const source = fixedSource(files, settings.source.location);
    const connection = this.connection(who);
    return runMigrations({ ...settings, connection, source, onEvent: undefined, strictOrder: false }, request, false);
  }

  /**
   * One migration in one direction as the branch's role, on the session the
   * branch's steps share (opened again when a migration ended it), as
   * `migrate` runs one after another. Never throws for the migration's own failure.
   */
  async step(migration: Migration, direction: Direction): Promise<StepResult> {
    if (this.steps && !this.steps.alive()) await this.closeSteps();
    if (!this.steps) {
      const { settings } = this.input;
      try {
        this.steps = await openStepSession({ ...settings, connection: this.connection('branch'), onEvent: undefined, strictOrder: false });
      } catch (error) {
        // The step's failure, as a run reports it: a migration before may have changed how the server lets anyone in.
        return { outcome: outcomeOf(migration, 'error'), error: error instanceof PgshiftError ? error : unexpectedError(error) };
      }
    }
    return this.steps.run(migration, direction);
  }

  private async closeSteps(): Promise<void> {
    const steps = this.steps;
    this.steps = undefined;
    await steps?.close();
  }

  relations(): Promise<BaseRelation[]> {
    return baseRelations(this.session.client);
  }

  /** `relations` but the tracking table: pgshift's own, holding the base's rows, which no migration is meant to touch. */
  async withoutTracking(relations: readonly BaseRelation[]): Promise<BaseRelation[]> {
    const { rows } = await this.session.client.query<{ oid: string | null }>('SELECT pg_catalog.to_regclass($1)::oid::int8 AS oid', [
      this.input.settings.table.sql,
    ]);
    const tracking = rows[0]?.oid == null ? undefined : Number(rows[0].oid);
    return relations.filter((r) => r.oid !== tracking);
  }

  snapshot(): Promise<SchemaSnapshot> {
    return snapshotSchema(this.session.client, this.snapshotOptions());
  }

  /** The schema now: its fingerprint, and its snapshot when asked; only what changed since the last read is read again. */
  read(): Promise<CatalogRead> {
    return this.catalog.read(this.session.client);
  }

  private snapshotOptions(): SnapshotOptions {
    const { table } = this.input.settings;
    return { exclude: [{ ...(table.schema !== undefined && { schema: table.schema }), table: table.table }] };
  }

  /** Whether the branch's role is a superuser: on a given server, its URL's user may be. */
  async branchIsSuperuser(): Promise<boolean> {
    if (this.input.server.roles) return this.input.superuser === true;
    const { rows } = await this.session.client.query<{ s: boolean }>(
      'SELECT rolsuper AS s FROM pg_catalog.pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.s === true;
  }

  cluster(): Promise<ClusterState> {
    return clusterState(this.session.client);
  }

  async close(): Promise<void> {
    await this.closeSteps();
    await this.session.close();
  }
}

/**
 * On a given server: what the migration left outside its database (a role,
 * ALTER SYSTEM, a tablespace, a database) is its failure, since it stays on
 * the user's server after the check. Returns the state to compare the next
 * migration with.
 */
export async function leftovers(
  db: Database,
  m: Migration,
  before: ClusterState | undefined,
  problems: Problem[],
): Promise<ClusterState | undefined> {
  if (before === undefined) return undefined;
  const after = await db.cluster();
  const { added, removed } = clusterChanges(before, after);
  if (added.length + removed.length > 0) {
    const what = [...added.map((a) => `left ${a}`), ...removed.map((r) => `removed ${r}`)].join('; ');
    problems.push(
      problem('CLUSTER_LEFTOVER', `${m.path} changed the scratch server outside its database, which stays so after the check: ${what}`, {
        file: m.path,
        version: m.version,
        hint: "a migration should change its own database only: roles, ALTER SYSTEM settings, tablespaces and databases are the server administrator's; undo these on the scratch server by hand (DROP ROLE …, ALTER SYSTEM RESET …)",
      }),
    );
  }
  return after;
}
