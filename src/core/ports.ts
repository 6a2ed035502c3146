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
