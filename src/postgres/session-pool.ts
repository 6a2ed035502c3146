import type { ConnectionInput } from './connection-info.js';
import { openSession, type Session, type SessionSettings } from './pg-client.js';

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
 */
export class SessionPool {
  readonly #idle = new Map<string, Session[]>();
  #closed = false;

  /** A session for these settings: an idle one when there is, else a new connection. */
  async open(input: ConnectionInput, settings: SessionSettings): Promise<Session> {
    // Neither the pool nor a tenant's search_path is the connection's: the engine sets search_path per run.
    const shared: SessionSettings = {
      lockTimeoutMs: settings.lockTimeoutMs,
      statementTimeoutMs: settings.statementTimeoutMs,
      readOnly: settings.readOnly,
    };
    const key = JSON.stringify([input, shared.lockTimeoutMs, shared.statementTimeoutMs, shared.readOnly ?? false]);
    const idle = this.#idle.get(key);
    let session: Session | undefined;
    while (idle?.length && session === undefined) {
      const candidate = idle.pop()!;
      if (candidate.alive()) session = candidate;
      else await candidate.close();
    }
    session ??= await openSession(input, shared);
    return this.#lent(session, key);
  }

  /** Ends every idle session; sessions still out are ended when they are closed. Never throws. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    await Promise.all(all.map((s) => s.close()));
  }

  /** The session as a run sees it: closing it gives it back. */
  #lent(session: Session, key: string): Session {
    let returned = false;
    return {
      client: session.client,
      alive: () => !returned && session.alive(),
      serverMajor: () => session.serverMajor(),
      close: async () => {
        if (returned) return;
        returned = true;
        if (await this.#reusable(session)) {
          const idle = this.#idle.get(key) ?? [];
          idle.push(session);
          this.#idle.set(key, idle);
        } else {
          await session.close();
        }
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
