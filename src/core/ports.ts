import type { Problem } from './problem.js';
import type { MigrationFile } from './types.js';

/**
 * The two small interfaces the engine works through, as Kysely's migrator
 * does: a database client that runs SQL, and a source of migration files.
 * node-postgres and the file system are one implementation of each
 * (`postgres/`, `source/`); a test or a library user can hand in others.
 */

/** A result as node-postgres gives it: rows, and the columns' names and type OIDs. */
export interface QueryResult<Row = Record<string, unknown>> {
  readonly rows: Row[];
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[];
  /** Rows an INSERT, UPDATE or DELETE touched. */
  readonly rowCount?: number | null;
}

/**
 * What the engine needs of a database connection: `query(text)` runs one
 * or more statements (the simple protocol, as a `pg.Client` does without
 * values), `query(text, values)` one statement with `$n` parameters.
 * A `pg.Client` fits as it is.
 */
export interface DbClient {
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/** The migration files of a source, with every problem found reading them. */
export interface MigrationListing {
  /** In version order; a file that could not be read or named is not here but in `problems`. */
  readonly files: readonly MigrationFile[];
  /** Bad names, duplicate versions, unreadable or non-UTF-8 files: all of them, each on its file. */
  readonly problems: readonly Problem[];
}

/**
 * Where migration files come from: a directory on disk (`directorySource`),
 * files held in memory (`memorySource`), or any other place a caller can read.
 */
export interface MigrationSource {
  /** Where the files are, as shown in messages: a directory path, say. */
  readonly location: string;
  /**
   * Every migration file, with every problem found; never stops at the
   * first bad file. Throws a PgshiftError only when there is nothing to read
   * at all (no such directory).
   */
  read(): Promise<MigrationListing>;
}
