/**
 * What each statement of a migration does to the relations that were there
 * before the branch's migrations, seen on a scratch database: the lock mode
 * it took (pg_locks of its own backend) and whether it rewrote the relation
 * (its file node changed). The statements run one by one in a transaction
 * on a session of their own, which is rolled back and closed: nothing they
 * do stays, whatever they change in their session.
 */
import { LOCK_MODES, lockModeWords, lockStrength } from './lock-modes.js';
import type { Observation } from '../core/lint/evidence.js';
import type { DbClient } from '../core/ports.js';
import type { Statement } from '../core/types.js';
import type { ConnectionInput } from './connection-info.js';
import { openSession, type SessionSettings } from './pg-client.js';

/** A relation of the base schema: its oid, name (schema-qualified), kind and file node. */
export interface BaseRelation {
  readonly oid: number;
  readonly name: string;
  readonly kind: 'table' | 'index';
  readonly filenode: number | null;
}

const BASE_RELATIONS = `
SELECT c.oid::int8 AS oid, pg_catalog.format('%s.%s', pg_catalog.quote_ident(n.nspname), pg_catalog.quote_ident(c.relname)) AS name,
       c.relkind = 'i' AS is_index, pg_catalog.pg_relation_filenode(c.oid)::int8 AS filenode
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'm', 'i', 'p', 'I') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/** The base's relations, read once after the base is replayed (the migrations' statements never touch the tracking table). */
export async function baseRelations(client: DbClient): Promise<BaseRelation[]> {
  const { rows } = await client.query<{ oid: string; name: string; is_index: boolean; filenode: string | null }>(BASE_RELATIONS);
  return rows.map((r) => ({
    oid: Number(r.oid),
    name: r.name,
    kind: r.is_index ? 'index' : 'table',
    filenode: r.filenode === null ? null : Number(r.filenode),
  }));
}

/**
 * The base relations the session holds a lock on, with their file nodes:
 * only those can have been rewritten by it (every rewrite locks what it
 * rewrites, and a lock is held to the end of the transaction), so the
 * others need no look. Reading pg_locks once, not once per relation, keeps
 * this a few milliseconds on a base of a thousand relations.
 */
const STATE = `
SELECT l.relation::int8 AS oid, pg_catalog.pg_relation_filenode(l.relation)::int8 AS filenode, pg_catalog.array_agg(l.mode) AS modes
  FROM pg_catalog.pg_locks l
 WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.relation = ANY ($1::oid[])
 GROUP BY l.relation`;

const parseModes = (modes: unknown): string[] =>
  Array.isArray(modes) ? modes : typeof modes === 'string' ? modes.replace(/[{}]/g, '').split(',').filter(Boolean) : [];

/**
 * Runs the statements in one transaction that is rolled back, and returns
 * what each did to the base's relations (only those it touched). Stops at a
 * statement that fails: the real run reports it.
 */
export async function observeStatements(
  connection: ConnectionInput,
  statements: readonly Statement[],
  base: readonly BaseRelation[],
  settings: SessionSettings = {},
): Promise<Observation[][]> {
  const session = await openSession(connection, settings);
  const seen: Observation[][] = [];
  const oids = base.map((r) => r.oid);
  const byOid = new Map(base.map((r) => [r.oid, r]));
  const order = new Map(base.map((r, i) => [r.oid, i]));
  try {
    const { client } = session;
    await client.query('BEGIN');
    const held = new Map<number, number>();
    const filenodes = new Map(base.map((r) => [r.oid, r.filenode]));
    for (const statement of statements) {
      try {
        await client.query(statement.sql);
      } catch {
        break;
      }
      const { rows } = await client.query<{ oid: string; filenode: string | null; modes: unknown }>(STATE, [oids]);
      // In the base's order, as the findings list them.
      rows.sort((a, b) => order.get(Number(a.oid))! - order.get(Number(b.oid))!);
      const now: Observation[] = [];
      for (const row of rows) {
        const oid = Number(row.oid);
        const relation = byOid.get(oid)!;
        const strongest = Math.max(0, ...parseModes(row.modes).map((m) => lockStrength(m)));
        const filenode = row.filenode === null ? null : Number(row.filenode);
        const before = filenodes.get(oid) ?? null;
        // A dropped relation has no file node any more: dropped, not rewritten.
        const rewrote = filenode !== null && before !== null && filenode !== before;
        const newLock = strongest > (held.get(oid) ?? 0);
        if (newLock) held.set(oid, strongest);
        filenodes.set(oid, filenode);
        if (!(newLock || rewrote)) continue;
        const holding = held.get(oid) ?? 0;
        now.push({
          relation: relation.name,
          kind: relation.kind,
          rewrote,
          ...(newLock && { lock: lockModeWords(LOCK_MODES[strongest - 1]!) }),
          ...(holding > 0 && { held: lockModeWords(LOCK_MODES[holding - 1]!) }),
        });
      }
      seen.push(now);
    }
    await client.query('ROLLBACK').catch(() => {});
  } finally {
    await session.close();
  }
  return seen;
}
