import type { DbClient, QueryResult } from '../core/ports.js';
import { fail } from '../core/problem.js';
import type { TableName } from '../core/table-name.js';
import type { AppliedRow } from '../core/types.js';
import { databaseError, isServerError } from './database-error.js';
import { createTracking, selectTracking, setUpSession as setUpSql, upgradeTracking, type TrackingGuard } from './sql.js';

/** What the tracking table holds, and what shape it is in. */
export interface TrackingState {
  readonly exists: boolean;
  readonly rows: readonly AppliedRow[];
  /** The table lacks pgshift's `checksum` and `duration_ms` (pycopg made it). */
  readonly needsUpgrade: boolean;
  /** The largest version the `version` column can hold. */
  readonly maxVersion: number;
}

// Type OIDs from pg_type; stable across PostgreSQL versions.
const INT2 = 21;
const INT4 = 23;
const INT8 = 20;
const NUMERIC = 1700;
const TEXT_TYPES = new Set([25, 1043, 1042, 19]); // text, varchar, bpchar, name
const TIME_TYPES = new Set([1184, 1114]); // timestamptz, timestamp

/**
 * Reads the whole table in one round trip. `SELECT *` tells, from the row
 * description alone, which columns exist and of what type, so a pycopg table
 * and a damaged one are told apart without querying the catalog. A missing
 * table reads as empty and is not created: reading never changes anything.
 */
export async function readTracking(client: DbClient, table: TableName): Promise<TrackingState> {
  let result: QueryResult;
  try {
    result = await client.query(selectTracking(table));
  } catch (error) {
    if (isServerError(error) && error.code === '42P01') {
      return { exists: false, rows: [], needsUpgrade: false, maxVersion: Number.MAX_SAFE_INTEGER };
    }
    throw databaseError(error, `reading the tracking table ${table.display}`);
  }
  const column = new Map(result.fields.map((f) => [f.name, { name: f.name, type: f.dataTypeID }]));
  const invalid = (what: string) =>
    fail('TRACKING_TABLE_INVALID', `tracking table ${table.display} ${what}; pgshift cannot trust this history`, {
      hint: `it must have version (integer or bigint), name (text) and applied_at (timestamptz); repair it, or set the tracking table to another one`,
      settings: ['table'],
    });
  const version = column.get('version');
  const name = column.get('name');
  const appliedAt = column.get('applied_at');
  const checksum = column.get('checksum');
  const duration = column.get('duration_ms');
  if (!version || !name || !appliedAt) {
    const missing = ['version', 'name', 'applied_at'].filter((c) => !column.has(c));
    throw invalid(`has no ${missing.join(', ')} column`);
  }
  if (![INT2, INT4, INT8, NUMERIC].includes(version.type)) throw invalid('has a version column that is not an integer');
  if (!TEXT_TYPES.has(name.type)) throw invalid('has a name column that is not text');
  if (!TIME_TYPES.has(appliedAt.type)) throw invalid('has an applied_at column that is not a timestamp');
  if (checksum && !TEXT_TYPES.has(checksum.type)) throw invalid('has a checksum column that is not text');

  const rows = result.rows.map((values): AppliedRow => {
    const at = values.applied_at;
    return {
      version: Number(values.version),
      name: String(values.name),
      appliedAt: at instanceof Date ? at : new Date(String(at)),
      checksum: checksum ? ((values.checksum as string | null) ?? null) : null,
      durationMs: duration && values.duration_ms != null ? Number(values.duration_ms) : null,
    };
  });
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.version)) throw invalid(`holds version ${row.version} more than once (its primary key is gone)`);
    seen.add(row.version);
  }
  const maxVersion =
    version.type === INT8 || version.type === NUMERIC ? Number.MAX_SAFE_INTEGER : version.type === INT4 ? 2 ** 31 - 1 : 2 ** 15 - 1;
  return { exists: true, rows, needsUpgrade: !checksum || !duration, maxVersion };
}

/**
 * Creates the table, or adds pgshift's columns to one pycopg made, in one
 * round trip. pycopg can go on using the result: it reads version, name and
 * applied_at and inserts only version and name.
 */
export async function prepareTracking(client: DbClient, table: TableName, state: TrackingState): Promise<void> {
  const sql = !state.exists ? createTracking(table) : state.needsUpgrade ? upgradeTracking(table) : undefined;
  if (sql === undefined) return;
  try {
    await client.query(sql);
  } catch (error) {
    throw databaseError(error, `preparing the tracking table ${table.display}`);
  }
}

/**
 * Sets the run's session up for the migrations (standard strings; the
 * check for a killed client) and reads what each tracking write is checked
 * against, and the session's pid (whose lock waits the lock session may
 * watch). One round trip, after the table exists.
 */
export async function setUpSession(
  client: DbClient,
  table: TableName,
  checkInterval: boolean,
  searchPath?: string,
): Promise<{ guard: Omit<TrackingGuard, 'rows'>; pid: number }> {
  try {
    const settings = { checkInterval, ...(searchPath !== undefined && { searchPath }) };
    const { rows } = await client.query<{ oid: string | null; filenode: string | null; pid: number }>(setUpSql(settings), [table.sql]);
    const row = rows[0];
    if (!row?.oid || !row.filenode) throw fail('TRACKING_TABLE_INVALID', `tracking table ${table.display} is gone`, { hint: 'run again' });
    return { guard: { oid: Number(row.oid), filenode: row.filenode, ...settings }, pid: Number(row.pid) };
  } catch (error) {
    throw databaseError(error, `preparing the session for ${table.display}`);
  }
}
