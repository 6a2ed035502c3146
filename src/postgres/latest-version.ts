import type { DbClient } from '../core/ports.js';
import { fail } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import { databaseError, isConnectionLoss, isServerError } from './database-error.js';

/** The highest applied version, as `wait` polls it. */
export interface LatestVersion {
  readonly tableExists: boolean;
  /** null when no row is applied (or the table does not exist yet). */
  readonly version: number | null;
}

/**
 * One short read of the tracking table: its highest version. A table that
 * does not exist yet reads as none applied (the first migrate creates it).
 * undefined when the read gave up on a lock (a migrate altering the table,
 * say): not an answer, so the caller asks again. Throws what the driver
 * threw for a lost connection, a PgshiftError for a table pgshift cannot read.
 */
export async function readLatestVersion(client: DbClient, table: TableName): Promise<LatestVersion | undefined> {
  try {
    const { rows } = await client.query<{ version: string | null }>(`SELECT max(version)::text AS version FROM ${table.sql}`);
    const text = rows[0]?.version ?? null;
    return { tableExists: true, version: text === null ? null : Number(text) };
  } catch (error) {
    if (!isServerError(error) || isConnectionLoss(error)) throw error;
    // lock_not_available, query_canceled: the session's own short timeouts, behind a migrate's ALTER of the table.
    if (error.code === '55P03' || error.code === '57014') return undefined;
    if (error.code === '42P01') return { tableExists: false, version: null };
    if (error.code === '42703') {
      throw fail('TRACKING_TABLE_INVALID', `tracking table ${table.display} has no version column; pgshift cannot read this history`, {
        hint: 'it must have version (integer or bigint), name (text) and applied_at (timestamptz); set the tracking table to the right one',
        settings: ['table'],
      });
    }
    throw databaseError(error, `reading the tracking table ${table.display}`);
  }
}
