import type { PgshiftError, Problem } from './problem.js';

/** How a migration is run: inside one transaction, or statement by statement outside any. */
export type TransactionMode = 'transaction' | 'none';

/** One statement of a section, with where it starts in the migration file. */
export interface Statement {
  readonly sql: string;
  /** 1-based line and column in the migration file. */
  readonly line: number;
  readonly column: number;
}

/** The SQL of `-- UP` or `-- DOWN`, with where it starts in the file. */
export interface Section {
  readonly sql: string;
  /** 1-based line in the file of the section's first character. */
  readonly startLine: number;
  readonly statements: readonly Statement[];
}

/** A migration file as read: named, decoded and checksummed, not yet parsed. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  /** File name only, e.g. `003_create_orders.sql`. */
  readonly fileName: string;
  /** The path shown to users: the migrations directory joined with the file name. */
  readonly path: string;
  /** SHA-256 (hex) of the file with CRLF/CR normalised to LF. */
  readonly checksum: string;
  /** The file's text, BOM dropped, line endings LF. */
  readonly text: string;
}

/** A migration file, parsed and checked, ready to plan and run. */
export interface Migration extends MigrationFile {
  readonly transaction: TransactionMode;
  readonly up: Section;
  readonly down?: Section;
}

/** A row of the tracking table. */
export interface AppliedRow {
  readonly version: number;
  readonly name: string;
  readonly appliedAt: Date;
  /** Null for rows written by pycopg or another tool that kept none. */
  readonly checksum: string | null;
  readonly durationMs: number | null;
}

/** `ok`, `changed` (file edited or renamed since), `missing` (file gone), `unknown` (no stored checksum). */
export type FileState = 'ok' | 'changed' | 'missing' | 'unknown';

/** An applied migration, with whether its file still matches what was applied. */
export interface AppliedMigration extends AppliedRow {
  readonly fileState: FileState;
}

/** A migration that is not applied yet. */
export interface PendingMigration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly transaction: TransactionMode;
  readonly statements: number;
  readonly hasDown: boolean;
  /** True when a higher version is already applied (a branch merged late). */
  readonly outOfOrder: boolean;
}

/** What `status()` returns. */
export interface Status {
  readonly appliedCount: number;
  readonly pendingCount: number;
  readonly applied: readonly AppliedMigration[];
  /** Pending migrations whose files can run; the others are in `problems`. */
  readonly pending: readonly PendingMigration[];
  /** Every problem with the files and the history, all at once. */
  readonly problems: readonly Problem[];
  readonly table: string;
  readonly tableExists: boolean;
  readonly currentVersion: number | null;
}

/** A pending migration with what `migrate` would send. */
export interface PlannedMigration extends PendingMigration {
  /** The UP part's SQL. */
  readonly sql: string;
  readonly checksum: string;
}

/** What `plan()` returns: what `migrate` would do, changing nothing. */
export interface Plan {
  readonly pending: readonly PlannedMigration[];
  readonly problems: readonly Problem[];
  /** False when a problem would stop `migrate`. */
  readonly ok: boolean;
  readonly table: string;
  /** The lint's findings on the pending migrations (as one deploy, for the server's PostgreSQL version); they do not stop `migrate`. */
  readonly findings: readonly Problem[];
}

/** What `validate()` returns. */
export interface ValidationReport {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** False when no connection was given: only the files were checked. */
  readonly checkedDatabase: boolean;
  /** How many migration files were checked. */
  readonly files: number;
  /** The status, when the database was checked. */
  readonly status?: Status;
}

export type Direction = 'up' | 'down';

/** The outcome of one migration in a run. */
export interface MigrationOutcome {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly status: 'success' | 'error' | 'not-executed';
  readonly durationMs?: number;
  readonly transaction: TransactionMode;
  /** How many times it was retried after running out of lock_timeout (absent: none). */
  readonly lockRetries?: number;
}

/** What `migrate()` and `rollback()` return. They never throw: a failure is in `error`. */
export interface RunReport {
  readonly ok: boolean;
  readonly direction: Direction;
  /** Each migration the run considered, in the order it took them. */
  readonly results: readonly MigrationOutcome[];
  /** Warning-level problems about the migrations this run took. */
  readonly warnings: readonly Problem[];
  readonly error?: PgshiftError;
  /** True when the run had to wait for another run's lock. */
  readonly waitedForLock: boolean;
  readonly durationMs: number;
  /** The status after the run, when asked for with `{ status: true }` and it could be read. */
  readonly status?: Status;
}

export interface CreatedMigration {
  readonly path: string;
  readonly version: number;
  readonly name: string;
}

/** A session that held, or queued ahead for, the lock a migration waited for. */
export interface LockBlocker {
  readonly pid: number;
  readonly user: string | null;
  readonly applicationName: string;
  /** `active`, `idle in transaction`, …; null when pgshift may not see it. */
  readonly state: string | null;
  /** How long its transaction had been open, in ms; null outside a transaction. */
  readonly transactionMs: number | null;
  /** Its query's first characters, literals replaced by $1, $2 … (never the values). */
  readonly query: string;
  /** True when it held a lock on the relation; false when it was queued ahead for one. */
  readonly holds: boolean;
}

/** A migration (or one statement of a no-transaction one) ran out of lock_timeout and is retried. */
export interface LockRetryEvent {
  readonly type: 'lock-retry';
  readonly direction: Direction;
  readonly migration: Migration;
  /** Which retry this is, from 1. */
  readonly retry: number;
  /** How many retries are allowed. */
  readonly retries: number;
  /** The wait before it, in ms. */
  readonly delayMs: number;
  /** The relation waited for, when pgshift saw it: `public.orders`. */
  readonly relation?: string;
  /** The sessions it waited behind, as seen while it waited (none when it could not see them). */
  readonly blockers: readonly LockBlocker[];
  /** In a no-transaction migration, the statement retried (1-based line in the file). */
  readonly line?: number;
}

/** Progress the engine reports while it runs, for front ends that print as they go. */
export type MigratorEvent =
  | { readonly type: 'lock-wait'; readonly holder: string }
  | { readonly type: 'lock-acquired'; readonly waitedMs: number }
  | { readonly type: 'migration-start'; readonly direction: Direction; readonly migration: Migration }
  | { readonly type: 'migration-done'; readonly direction: Direction; readonly outcome: MigrationOutcome }
  | { readonly type: 'warning'; readonly problem: Problem }
  /** `wait()`: where the database is, at the start and then every 30 s or so (not on every poll). */
  | {
      readonly type: 'wait-progress';
      readonly atLeast: number;
      readonly currentVersion: number | null;
      readonly tableExists: boolean;
      readonly waitedMs: number;
    }
  /** `wait()`: the connection was lost or could not be made again; the next try is in `retryInMs`. */
  | { readonly type: 'wait-unreachable'; readonly reason: string; readonly retryInMs: number }
  | LockRetryEvent;
