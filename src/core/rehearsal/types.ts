/**
 * What the rehearsal measured: each new migration run as `migrate` runs it,
 * on the base's tables filled with synthetic rows, at a tiny size and at N
 * rows; per statement, what the server did and how long others waited.
 */

/** What one statement did to one table of the base at one size. */
export interface TableMeasure {
  /** The table, schema-qualified as the catalog spells it (`public.orders`). */
  readonly table: string;
  /** The strongest lock the migration's session held on it while the statement ran (its own or an earlier statement's), in PostgreSQL's words. */
  readonly lock?: string;
  /** Rows the statement read (sequential and index fetches) and wrote (inserted, updated, deleted), from pg_stat_xact_user_tables. */
  readonly rowsRead: number;
  readonly rowsWritten: number;
  /** Its file node changed: the table was rewritten. */
  readonly rewrote: boolean;
  /** Indexes built on it (new or rebuilt), with their size in bytes. */
  readonly indexesBuilt: readonly { readonly name: string; readonly bytes: number }[];
  /** Names that existed before the statement and not after: `public.orders.total`, `public.orders`. */
  readonly namesGone: readonly string[];
  /** How long a reader (SELECT) and a writer (UPDATE of one row) waited while the statement ran, in ms; undefined when not probed. */
  readonly readersWaitedMs?: number;
  readonly writersWaitedMs?: number;
}

/** One statement at one size. */
export interface StatementRun {
  readonly ms: number;
  readonly tables: readonly TableMeasure[];
  /** The statement failed at this size (the rows broke it, or a timeout): the server's message. */
  readonly failed?: string;
}

/** One statement, at both sizes, and the verdict. */
export interface StatementMeasurement {
  /** The statement's index in the migration's UP part. */
  readonly index: number;
  /** Its first line in the file. */
  readonly line: number;
  readonly tiny?: StatementRun;
  readonly full?: StatementRun;
  /** The measured hazard in words, or undefined when the measurement saw none. */
  readonly hazard?: string;
  /** The measurement in words, hazard or not: "took ACCESS EXCLUSIVE on public.orders for 2 ms; read 0 of 10,000 rows". */
  readonly summary: string;
}

/** A migration's rehearsal. */
export interface MigrationRehearsal {
  readonly version: number;
  readonly file: string;
  /** Why it was not rehearsed (outside a transaction, no base table touched...), when it was not. */
  readonly skipped?: string;
  /** The base tables seeded, and how many rows at full size. */
  readonly seeded: readonly string[];
  /** Tables that could not be seeded, each with the reason: the static rules stand alone for them. */
  readonly notSeeded: readonly { readonly table: string; readonly reason: string }[];
  readonly statements: readonly StatementMeasurement[];
}

/** The whole rehearsal: the sizes and each migration's. */
export interface Rehearsal {
  readonly tinyRows: number;
  readonly rows: number;
  readonly migrations: readonly MigrationRehearsal[];
  /** Lint findings the measurement contradicted, each with the measurement as the reason. */
  readonly cleared: readonly { readonly file: string; readonly line: number; readonly rule: string; readonly reason: string }[];
}
