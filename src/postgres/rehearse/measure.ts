/**
 * Runs a migration's statements as `migrate` runs a transactional migration,
 * on seeded tables, and measures each: for statement i, a transaction runs
 * the statements before it, then it, while a reader and a writer on each
 * seeded table try to get through; the session's own view of the server
 * (pg_locks, pg_stat_xact_user_tables, file nodes, the catalog) is read
 * before and after it; the transaction is rolled back. Nothing stays.
 */
import { LOCK_MODES, lockModeWords, lockStrength } from '../lock-modes.js';
import type { StatementRun, TableMeasure } from '../../core/rehearsal/types.js';
import type { Statement } from '../../core/types.js';
import type { ConnectionInput } from '../connection-info.js';
import { openSession } from '../pg-client.js';
import { openProbes, type Probes } from './probe.js';
import type { DbClient } from '../../core/ports.js';
import type { SeedTable } from './seed.js';
import { firstLine } from './seeding.js';

/** The seeded tables ($1, oids) and their partitions, each with its seeded table as `root`. */
export const TREE = `WITH t AS (SELECT r.root, r.root AS oid FROM pg_catalog.unnest($1::oid[]) AS r(root)
           UNION SELECT r.root, p.relid FROM pg_catalog.unnest($1::oid[]) AS r(root), pg_catalog.pg_partition_tree(r.root::regclass) p)`;

/**
 * Everything under the seeded tables (their partitions too): read in the
 * migration's own session, whose transaction's counts pg_stat_xact_user_tables
 * has; or, for statements that commit on their own, from a second session,
 * with the counts flushed to pg_stat_user_tables.
 */
export const stateQuery = (stats: 'pg_stat_xact_user_tables' | 'pg_stat_user_tables'): string => `
${TREE}
SELECT pg_catalog.json_build_object(
  'rows', (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(t.root, s.seq_tup_read + COALESCE(s.idx_tup_fetch, 0), s.n_tup_ins + s.n_tup_upd + s.n_tup_del))
             FROM t JOIN pg_catalog.${stats} s ON s.relid = t.oid),
  'files', (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(t.root, t.oid, pg_catalog.pg_relation_filenode(t.oid))) FROM t),
  'indexes', (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(t.root, i.indexrelid, pg_catalog.pg_relation_filenode(i.indexrelid),
                pg_catalog.format('%I.%I', n.nspname, c.relname), pg_catalog.pg_relation_size(i.indexrelid)))
             FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace),
  'names', (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(x.root, x.name)) FROM (
              SELECT t.root, n.nspname || '.' || c.relname AS name FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid AND t.oid = t.root
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              UNION ALL
              SELECT t.root, n.nspname || '.' || c.relname || '.' || a.attname FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid AND t.oid = t.root
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) x),
  'locks', (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(t.root, l.mode)) FROM t JOIN pg_catalog.pg_locks l
             ON l.relation = t.oid AND l.locktype = 'relation' AND l.granted AND l.pid = pg_catalog.pg_backend_pid())) AS state`;

const STATE = stateQuery('pg_stat_xact_user_tables');

type Row = readonly (string | number | null)[];
export interface State {
  readonly rows: Row[] | null;
  readonly files: Row[] | null;
  readonly indexes: Row[] | null;
  readonly names: Row[] | null;
  readonly locks: Row[] | null;
}

export interface MeasureRequest {
  /** How the migration's statements connect (the branch's role) and how the reader and writer do. */
  readonly branch: ConnectionInput;
  readonly probe: ConnectionInput;
  /** The most a statement, and a probe, may take. */
  readonly timeoutMs: number;
}

/** The sessions a migration's measurements run on, opened once for both sizes. */
export interface Measurer {
  /** Each statement's run on the seeded tables, in order; stops after one that fails. */
  measure(statements: readonly Statement[], tables: readonly SeedTable[]): Promise<StatementRun[]>;
  close(): Promise<void>;
}

export async function openMeasurer(request: MeasureRequest): Promise<Measurer> {
  const session = await openSession(request.branch, { statementTimeoutMs: request.timeoutMs });
  const probes: Probes[] = [];
  return {
    measure: async (statements, tables) => {
      const more = Math.max(0, tables.length - probes.length);
      probes.push(...(await Promise.all(Array.from({ length: more }, () => openProbes(request.probe, request.timeoutMs)))));
      return measureStatements(session.client, probes, statements, tables);
    },
    close: async () => {
      await Promise.all(probes.map((p) => p.close()));
      await session.close();
    },
  };
}

async function measureStatements(
  client: DbClient,
  probes: readonly Probes[],
  statements: readonly Statement[],
  tables: readonly SeedTable[],
): Promise<StatementRun[]> {
  const roots = tables.map((t) => t.oid);
  const read = async () => (await client.query<{ state: State }>(STATE, [roots])).rows[0]!.state;
  const runs: StatementRun[] = [];
  for (const [index, statement] of statements.entries()) {
    await client.query('BEGIN');
    try {
      for (const earlier of statements.slice(0, index)) await client.query(earlier.sql);
      const before = await read();
      const started = performance.now();
      let ended: number | undefined;
      const running = client.query(statement.sql).finally(() => (ended = performance.now()));
      // Sent after the statement, the probes queue behind the locks it takes, as the application's sessions would.
      const probing = tables.map((t, i) => ({ at: performance.now(), done: probes[i]!.start(t.sql) }));
      let failed: string | undefined;
      await running.catch((error: unknown) => (failed = firstLine(error)));
      const ms = (ended ?? performance.now()) - started;
      const after = failed === undefined ? await read() : undefined;
      await client.query('ROLLBACK');
      const waits = await Promise.all(probing.map(async (p) => ({ at: p.at, got: await p.done })));
      const waited = (at: number, got: number | undefined) => (got === undefined || got > ended! ? ended! - at : 0);
      if (failed !== undefined || after === undefined) {
        runs.push({ ms, tables: [], failed: failed ?? 'not measured' });
        break;
      }
      runs.push({
        ms,
        tables: tables.map((t, i) => ({
          ...compare(t, before, after),
          ...(waits[i] && {
            readersWaitedMs: waited(waits[i].at, waits[i].got.read),
            writersWaitedMs: waited(waits[i].at, waits[i].got.write),
          }),
        })),
      });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      runs.push({ ms: 0, tables: [], failed: firstLine(error) });
      break;
    }
  }
  return runs;
}

/**
 * What the statement did to one seeded table (and its partitions), from the
 * state before and after it; `held`: the strongest lock (lockStrength) it was
 * seen to hold from another session, when the state's own session was not its.
 */
export function compare(table: SeedTable, before: State, after: State, held?: number): TableMeasure {
  const mine = (rows: Row[] | null) => (rows ?? []).filter((r) => Number(r[0]) === table.oid);
  const sum = (state: State, column: 1 | 2) => mine(state.rows).reduce((n, r) => n + Number(r[column]), 0);
  const files = new Map(mine(before.files).map((r) => [Number(r[1]), r[2]]));
  const rewrote = mine(after.files).some(
    (r) => r[2] !== null && files.has(Number(r[1])) && files.get(Number(r[1])) !== null && files.get(Number(r[1])) !== r[2],
  );
  // Built: a file node that was not there. ALTER COLUMN TYPE re-creates an index whose storage it can keep under a new
  // oid on the same file node (PostgreSQL's TryReuseIndex): nothing was built.
  const indexFiles = new Set(mine(before.indexes).map((r) => String(r[2])));
  const indexesBuilt = mine(after.indexes)
    .filter((r) => r[2] !== null && !indexFiles.has(String(r[2])))
    .map((r) => ({ name: String(r[3]), bytes: Number(r[4]) }));
  const names = new Set(mine(after.names).map((r) => String(r[1])));
  const namesGone = [...new Set(mine(before.names).map((r) => String(r[1])))].filter((n) => !names.has(n));
  // A table gone takes its columns with it: its name says it all.
  const gone = namesGone.filter(
    (n) => !namesGone.some((m) => m !== n && n.startsWith(`${m}.`) && n.split('.').length > m.split('.').length),
  );
  const strongest = held ?? Math.max(0, ...mine(after.locks).map((r) => lockStrength(String(r[1]))));
  return {
    table: table.name,
    ...(strongest > 0 && { lock: lockModeWords(LOCK_MODES[strongest - 1]!) }),
    rowsRead: sum(after, 1) - sum(before, 1),
    rowsWritten: sum(after, 2) - sum(before, 2),
    rewrote,
    indexesBuilt,
    namesGone: gone,
  };
}
