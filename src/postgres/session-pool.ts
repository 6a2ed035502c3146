import type { ConnectionInput } from './connection-info.js';
import { openSession, type Session, type SessionSettings } from './pg-client.js';

/** A session put back, with what it can be handed out for. */
interface Idle {
  readonly key: string;
  readonly session: Session;
}

/**
 * Sessions shared by the runs on one server, so that a fleet of targets does
 * not start two backends per target (a fork, authentication, cold catalog
 * caches: most of a tenant's time when the tenant is a schema). A session is
 * handed out to one run at a time and comes back when the run closes it,
 * put back as new by `DISCARD ALL` (role, settings, prepared statements,
 * cursors, temporary tables, advisory locks: the migration lock with them).
 *
 * Sessions are shared between runs whose connection and session settings
 * are the same; the search_path of a tenant's schema is not one of them: the
 * engine sets it on the session for each run (`setUpSession`) and again
 * after each migration's reset, so that tenants of one database share.
 * A session that failed, ended, or was left inside a transaction is closed,
 * never reused.
 *
 * Sessions out and idle together stay within `maxSessions` as long as the
 * runs do: the least recently used idle session is closed to make room, so a
 * fleet of databases (whose sessions are never asked for again) holds no
 * more connections than its runs need.
 */
export class SessionPool {
  readonly #maxSessions: number;
  /** Least recently put back first. */
  readonly #idle: Idle[] = [];
  #out = 0;
  #closed = false;

  constructor(options: { readonly maxSessions?: number } = {}) {
    this.#maxSessions = Math.max(1, options.maxSessions ?? 20);
  }

  /** A session for these settings: an idle one when there is, else a new connection. */
  async open(input: ConnectionInput, settings: SessionSettings): Promise<Session> {
    // Neither the pool nor a tenant's search_path is the connection's: the engine sets search_path per run.
    const shared: SessionSettings = {
      lockTimeoutMs: settings.lockTimeoutMs,
      statementTimeoutMs: settings.statementTimeoutMs,
      readOnly: settings.readOnly,
    };
    const key = JSON.stringify([input, shared.lockTimeoutMs, shared.statementTimeoutMs, shared.readOnly ?? false]);
    for (let i = this.#idle.length - 1; i >= 0; i--) {
      if (this.#idle[i]!.key !== key) continue;
      const { session } = this.#idle.splice(i, 1)[0]!;
      if (session.alive()) return this.#lent(session, key);
      await session.close();
    }
    while (this.#idle.length > 0 && this.#out + this.#idle.length >= this.#maxSessions) await this.#idle.shift()!.session.close();
    this.#out++;
    try {
      return this.#lent(await openSession(input, shared), key, true);
    } catch (error) {
      this.#out--;
      throw error;
    }
  }

  /** Ends every idle session; sessions still out are ended when they are closed. Never throws. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#idle.splice(0).map((idle) => idle.session.close()));
  }

  /** The session as a run sees it: closing it gives it back. */
  #lent(session: Session, key: string, counted = false): Session {
    if (!counted) this.#out++;
    let returned = false;
    return {
      client: session.client,
      alive: () => !returned && session.alive(),
      serverMajor: () => session.serverMajor(),
      close: async () => {
        if (returned) return;
        returned = true;
        const reusable = await this.#reusable(session);
        this.#out--;
        if (!reusable) return session.close();
        this.#idle.push({ key, session });
        while (this.#idle.length > 0 && this.#out + this.#idle.length > this.#maxSessions) await this.#idle.shift()!.session.close();
      },
    };
  }

  async #reusable(session: Session): Promise<boolean> {
    if (this.#closed || !session.alive() || transactionStatus(session) !== 'I') return false;
    try {
      await session.client.query('DISCARD ALL');
      return !this.#closed && session.alive();
    } catch {
      return false;
    }
  }
}

/** What the server last said of the session's transaction: 'I' idle, 'T' in one, 'E' in a failed one. */
const transactionStatus = (session: Session): unknown =>
  (session.client as { getTransactionStatus?: () => unknown }).getTransactionStatus?.();

/**
 * `fn` with the settings' pool, or with a pool of its own for the call
 * (closed after it) when the settings bring none.
 */
export async function withPool<S extends { readonly pool?: SessionPool | undefined }, R>(
  settings: S,
  fn: (pooled: S & { readonly pool: SessionPool }) => Promise<R>,
  options: { readonly maxSessions?: number } = {},
): Promise<R> {
  if (settings.pool !== undefined) return fn({ ...settings, pool: settings.pool });
  const pool = new SessionPool(options);
  try {
    return await fn({ ...settings, pool });
  } finally {
    await pool.close();
  }
}
