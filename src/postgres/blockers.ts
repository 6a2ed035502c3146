/**
 * Who a migration waits behind. While one of its statements runs, a second
 * session (the migration lock's, otherwise idle) asks now and then for
 * pg_blocking_pids() of the migration's session: the sessions holding a lock
 * that conflicts with the one it waits for, and those queued ahead of it for
 * one. What it saw last is what a lock timeout is blamed on. After the
 * timeout the waiting is over and the server no longer says who it was.
 */
import { normaliseQuery } from '../core/normalise-query.js';
import type { DbClient } from '../core/ports.js';
import type { LockBlocker } from '../core/types.js';

/** What a watch saw: the relation waited for (when it was one) and who held or queued for it. */
export interface Blocked {
  readonly relation?: string;
  readonly blockers: readonly LockBlocker[];
}

/** A watch over one statement's waits; `stop()` ends it and says what it saw last. */
export interface BlockerWatch {
  stop(): Promise<Blocked>;
}

/** $1: the waiting session's pid. Only what is shown is read; the query is normalised here, before it is kept. */
const BLOCKERS = `
WITH waiting AS (
  SELECT l.relation FROM pg_catalog.pg_locks l WHERE l.pid = $1 AND NOT l.granted AND l.relation IS NOT NULL LIMIT 1
)
SELECT a.pid, a.usename::text AS usename, coalesce(a.application_name, '') AS application_name, a.state,
       (pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - a.xact_start) * 1000)::pg_catalog.int8 AS xact_ms,
       pg_catalog.left(a.query, 2000) AS query,
       (SELECT w.relation::pg_catalog.regclass::text FROM waiting w) AS relation,
       EXISTS (SELECT 1 FROM pg_catalog.pg_locks h, waiting w
                WHERE h.pid = a.pid AND h.granted AND h.relation = w.relation) AS holds
  FROM pg_catalog.pg_stat_activity a
 WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1))
 ORDER BY a.xact_start NULLS LAST, a.pid`;

interface Row {
  pid: number;
  usename: string | null;
  application_name: string;
  state: string | null;
  xact_ms: string | null;
  query: string | null;
  relation: string | null;
  holds: boolean;
}

/** The sessions `pid` waits behind now (none when it waits for nothing, or they cannot be read). */
export async function blockersOf(client: DbClient, pid: number): Promise<Blocked> {
  try {
    const { rows } = await client.query<Row>(BLOCKERS, [pid]);
    const relation = rows[0]?.relation ?? undefined;
    return {
      ...(relation !== undefined && { relation }),
      blockers: rows.map((r) => ({
        pid: Number(r.pid),
        user: r.usename,
        applicationName: r.application_name,
        state: r.state,
        transactionMs: r.xact_ms === null ? null : Number(r.xact_ms),
        query: r.query === null ? '' : normaliseQuery(r.query, 120),
        holds: r.holds,
      })),
    };
  } catch {
    return { blockers: [] };
  }
}

/**
 * Asks every `everyMs` (the first time after at most 0.1 s) who `pid` waits
 * behind, keeping the last answer that named someone. A statement that does
 * not wait costs nothing: it is over before the first question.
 */
export function watchBlockers(client: DbClient, pid: number, everyMs: number): BlockerWatch {
  let seen: Blocked = { blockers: [] };
  let running: Promise<void> | undefined;
  let stopped = false;
  const ask = () => {
    running = blockersOf(client, pid).then((found) => {
      if (found.blockers.length > 0) seen = found;
      if (!stopped) timer = setTimeout(ask, everyMs);
    });
  };
  // The first question soon: a migration that sets its own, shorter lock_timeout is seen too.
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(ask, Math.min(everyMs, 100));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      return seen;
    },
  };
}
