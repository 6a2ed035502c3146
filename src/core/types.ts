import type { ErrorJson, PgshiftError } from './errors.js';

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

/** A migration file as read from disk: named, decoded and checksummed, not yet parsed. */
export interface MigrationSource {
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
export interface Migration extends MigrationSource {
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

/** Something wrong with the files or the history, with where it is. */
export type ProblemKind = 'checksum-mismatch' | 'missing-file' | 'name-mismatch' | 'out-of-order' | 'invalid-file' | 'no-down';

export interface Problem {
  readonly kind: ProblemKind;
  /** `error` stops `migrate`; `warning` is reported and lets it run. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly version?: number;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly applied_at: string;
  readonly checksum: string | null;
  readonly duration_ms: number | null;
  /** `ok`, `changed` (file edited since), `missing` (file gone), `unknown` (no stored checksum). */
  readonly file_state: 'ok' | 'changed' | 'missing' | 'unknown';
}

export interface PendingMigration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly transaction: TransactionMode;
  readonly statements: number;
  readonly has_down: boolean;
  /** True when a higher version is already applied (a branch merged late). */
  readonly out_of_order: boolean;
}

/** What `status()` returns; the JSON the CLI prints for `status --json`. */
export interface Status {
  readonly applied_count: number;
  readonly pending_count: number;
  readonly applied: readonly AppliedMigration[];
  readonly pending: readonly PendingMigration[];
  readonly problems: readonly Problem[];
  readonly table: string;
  readonly table_exists: boolean;
  readonly current_version: number | null;
}

export interface PlannedMigration extends PendingMigration {
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
}

/** The outcome of one migration in a run. */
export interface MigrationOutcome {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly status: 'success' | 'error' | 'not-executed';
  readonly duration_ms?: number;
  readonly transaction: TransactionMode;
}

/** What `migrate()` and `rollback()` return. They never throw: a failure is in `error`. */
export interface RunReport {
  readonly ok: boolean;
  readonly direction: 'up' | 'down';
  /** Each migration the run considered, in the order it took them. */
  readonly results: readonly MigrationOutcome[];
  readonly warnings: readonly Problem[];
  readonly error?: PgshiftError;
  /** True when the run had to wait for another run's lock. */
  readonly waited_for_lock: boolean;
  readonly duration_ms: number;
  /** The status after the run, when asked for with `{ status: true }` and it could be read. */
  readonly status?: Status;
}

export interface CreatedMigration {
  readonly path: string;
  readonly version: number;
  readonly name: string;
}

/** A migrate or rollback report as JSON (what `--json` prints). */
export interface RunReportJson {
  readonly ok: boolean;
  readonly applied?: readonly MigrationOutcome[];
  readonly rolled_back?: readonly MigrationOutcome[];
  /** The migration that failed, when one did. */
  readonly failed?: MigrationOutcome;
  readonly not_executed: readonly MigrationOutcome[];
  readonly warnings: readonly Problem[];
  readonly waited_for_lock: boolean;
  readonly duration_ms: number;
  readonly error?: ErrorJson;
}

/** Progress the engine reports while it runs, for front ends that print as they go. */
export type MigratorEvent =
  | { readonly type: 'lock-wait'; readonly holder: string }
  | { readonly type: 'lock-acquired'; readonly waitedMs: number }
  | { readonly type: 'migration-start'; readonly direction: 'up' | 'down'; readonly migration: Migration }
  | { readonly type: 'migration-done'; readonly outcome: MigrationOutcome }
  | { readonly type: 'warning'; readonly problem: Problem };
