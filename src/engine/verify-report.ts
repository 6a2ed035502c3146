import type { Problem } from '../core/problem.js';
import type { TransactionMode } from '../core/types.js';
import type { SchemaChange, SummaryGroup } from '../schema/index.js';
import type { Rehearsal } from '../core/rehearsal/types.js';
import type { FleetImpact } from '../core/fleet-impact.js';

/** How one step of the proof went: `differs` when it ran but the schema is not what it must be. */
export type StepResult = 'ok' | 'failed' | 'differs' | 'not-run';

/** A migration the branch adds, as `verify` tried it on the base's schema. */
export interface VerifiedMigration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly transaction: TransactionMode;
  readonly hasDown: boolean;
  /** UP on the schema the base's migrations (and the branch's earlier ones) leave. */
  readonly up: StepResult;
  /** DOWN, which must give back the schema from before UP exactly; `none` without a DOWN part. */
  readonly down: StepResult | 'none';
  /** UP again after DOWN, which must give the same schema as the first UP; `none` without a DOWN part. */
  readonly reup: StepResult | 'none';
  /** How long the first UP took. */
  readonly upMs?: number;
  /** The UP and DOWN parts' SQL. */
  readonly upSql: string;
  readonly downSql?: string;
}

/**
 * What protected the runner from the branch's migrations, which are a
 * stranger's code on a pull request: said in the report and the comment so
 * that a reviewer knows what was in force.
 */
export interface SandboxReport {
  /** `private`: a server pgshift started and stopped; `given`: the scratch server URL's. */
  readonly server: 'private' | 'given';
  /** The operating-system user a private server ran as, when not pgshift's own (`postgres` when pgshift runs as root). */
  readonly osUser?: string;
  /** A private server's environment: only what PostgreSQL needs (a PATH, a locale), none of pgshift's variables. */
  readonly minimalEnvironment: boolean;
  /** Whether the branch's migrations ran as a superuser (false: as the database's owner, without superuser rights). */
  readonly superuser: boolean;
  /** The whole check's deadline, in ms, after which the server and everything it started are stopped. */
  readonly deadlineMs: number;
}

/** What `verify()` returns: whether the branch's migrations apply, roll back exactly and apply again on the base's schema. */
export interface VerifyReport {
  /** False when an error-level problem or lint finding was found: a failing statement, a DOWN that does not restore, an edited base migration... */
  readonly ok: boolean;
  /** The base compared with, as given (`origin/main`, a commit). */
  readonly base: string;
  /** How many migrations the base has, replayed before the branch's. */
  readonly baseMigrations: number;
  /** The server the proof ran on; absent when none was started. */
  readonly server?: { readonly version: string; readonly kind: 'private' | 'given' };
  /** What protected the runner while the branch's migrations ran; absent when none ran. */
  readonly sandbox?: SandboxReport;
  /** The branch's new migrations, in order, and how each step went. */
  readonly migrations: readonly VerifiedMigration[];
  /** Every problem: with the files, the branch against its base, each step of the proof. */
  readonly problems: readonly Problem[];
  /** The lint's findings on the new migrations, with what the scratch run saw each statement do (and the table sizes, with a production connection). */
  readonly findings: readonly Problem[];
  /** What the rehearsal on seeded rows measured each statement do, and the findings it cleared; absent when it was off. */
  readonly rehearsal?: Rehearsal;
  /** With a fleet to look at: how many targets lack the new migrations, and the largest tables rewritten or scanned there, by target. */
  readonly fleet?: FleetImpact;
  /** From the base's schema to the branch's: each change, and grouped by object for reading. */
  readonly schemaChanges: readonly SchemaChange[];
  readonly schemaSummary: readonly SummaryGroup[];
  /** Time spent in each phase, in ms: reading, the server, the base, the new migrations, all. */
  readonly phases: {
    readonly read: number;
    readonly server: number;
    readonly base: number;
    readonly migrations: number;
    readonly total: number;
  };
}
