/**
 * Two-phase commit (`PREPARE TRANSACTION`), for runs that must apply on
 * every target or on none: the statements, the server's capacity for them,
 * and the prepared transactions pgshift left. Transaction identifiers (gids)
 * are made by the engine from safe characters only, and still quoted here:
 * these statements take no parameters.
 */
import { quoteIdent } from '../core/identifier.js';
import type { DbClient } from '../core/ports.js';
import { databaseError } from './database-error.js';
import { quoteLiteral } from './sql.js';

/** What a server can take: prepared transactions and connections, and how many of each are in use. */
export interface PrepareCapacity {
  /** `max_prepared_transactions`: 0 means the server cannot prepare a transaction at all. */
  readonly maxPrepared: number;
  /** Prepared transactions that exist on the server, in any database. */
  readonly usedPrepared: number;
  /** Connections that may still be opened (`max_connections` less those reserved and those open). */
  readonly freeConnections: number;
}

const CAPACITY = `
SELECT pg_catalog.current_setting('max_prepared_transactions')::int AS max_prepared,
       (SELECT pg_catalog.count(*) FROM pg_catalog.pg_prepared_xacts)::int AS used_prepared,
       pg_catalog.current_setting('max_connections')::int
         - pg_catalog.current_setting('superuser_reserved_connections')::int
         - (SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend')::int AS free_connections`;

export async function prepareCapacity(client: DbClient): Promise<PrepareCapacity> {
  try {
    const { rows } = await client.query<{ max_prepared: number; used_prepared: number; free_connections: number }>(CAPACITY);
    const row = rows[0]!;
    return { maxPrepared: row.max_prepared, usedPrepared: row.used_prepared, freeConnections: row.free_connections };
  } catch (error) {
    throw databaseError(error, 'reading max_prepared_transactions');
  }
}

/**
 * Opens the transaction of a run that will be prepared, with the schema as
 * its search_path (`SET LOCAL`: gone with the transaction) and, asked for,
 * its transaction id (`txid_current()`, with its epoch: it never wraps), by
 * which other targets' transactions of the same run learn its fate.
 */
export async function beginPrepared(
  client: DbClient,
  options: { readonly schema?: string; readonly xid?: boolean },
): Promise<string | undefined> {
  try {
    await client.query(`BEGIN;\n${searchPathSql(options.schema)}`);
    if (!options.xid) return undefined;
    const { rows } = await client.query<{ xid: string }>('SELECT pg_catalog.txid_current()::text AS xid');
    return rows[0]!.xid;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw databaseError(error, 'starting the transaction');
  }
}

/** `SET LOCAL search_path` to the schema, again after each migration (whose RESET ALL undid it); '' without one. */
export const searchPathSql = (schema: string | undefined): string =>
  schema === undefined ? '' : `SET LOCAL search_path TO ${quoteIdent(schema)};\n`;

/** Prepares the open transaction under `gid`: from here it survives the session, a crash of this process and a restart of the server. */
export async function prepareTransaction(client: DbClient, gid: string): Promise<void> {
  try {
    await client.query(`PREPARE TRANSACTION ${quoteLiteral(gid)}`);
  } catch (error) {
    // A failed PREPARE rolls the transaction back; a ROLLBACK with none open only warns.
    await client.query('ROLLBACK').catch(() => {});
    throw databaseError(error, `preparing the transaction ${gid}`);
  }
}

/** Commits or rolls back a prepared transaction, from any session on its database. */
export async function finishPrepared(client: DbClient, gid: string, how: 'commit' | 'rollback'): Promise<void> {
  try {
    await client.query(`${how === 'commit' ? 'COMMIT' : 'ROLLBACK'} PREPARED ${quoteLiteral(gid)}`);
  } catch (error) {
    throw databaseError(error, `${how === 'commit' ? 'committing' : 'rolling back'} the prepared transaction ${gid}`);
  }
}

/** A prepared transaction found on the database. */
export interface PreparedXact {
  readonly gid: string;
  readonly preparedAt: Date;
  readonly owner: string;
}

/** The prepared transactions of this database whose gid starts with the prefix. */
export async function listPrepared(client: DbClient, prefix: string): Promise<PreparedXact[]> {
  try {
    const { rows } = await client.query<{ gid: string; prepared: Date; owner: string }>(
      `SELECT gid, prepared, owner FROM pg_catalog.pg_prepared_xacts
        WHERE database = pg_catalog.current_database() AND pg_catalog.starts_with(gid, $1) ORDER BY prepared`,
      [prefix],
    );
    return rows.map((row) => ({ gid: row.gid, preparedAt: row.prepared, owner: row.owner }));
  } catch (error) {
    throw databaseError(error, 'listing prepared transactions');
  }
}

/** What became of a transaction: `committed`, `aborted`, `in progress` (still prepared, say), or undefined when too old to tell. */
export async function transactionStatus(client: DbClient, xid: string): Promise<'committed' | 'aborted' | 'in progress' | undefined> {
  try {
    const { rows } = await client.query<{ status: string | null }>('SELECT pg_catalog.txid_status($1::bigint) AS status', [xid]);
    const status = rows[0]?.status;
    return status === 'committed' || status === 'aborted' || status === 'in progress' ? status : undefined;
  } catch (error) {
    throw databaseError(error, `reading the status of transaction ${xid}`);
  }
}
