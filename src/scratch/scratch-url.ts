import { fail } from '../core/problem.js';
import { track } from './cleanup.js';
import { createDatabase, dropDatabase, messageOf, newDatabaseName, serverRelease, templateName, withSession } from './databases.js';
import type { CreateDatabaseOptions, ScratchConnect, ScratchServer } from './types.js';
import { describeUrl, isPostgresUrl, redactUrl, urlForDatabase } from './url.js';

export interface ScratchFromUrlOptions {
  /** Opens connections: `openSession` of postgres/, or any `ScratchConnect`. */
  readonly connect: ScratchConnect;
}

/**
 * A scratch server the user provides (one with PostGIS, say): pgshift works
 * in databases of its own there, `pgshift_scratch_<hex>`, and `stop()` drops
 * exactly those, never another. The URL's user needs CREATEDB. Its
 * password never appears in a message.
 *
 * The databases are also dropped on SIGINT/SIGTERM/SIGHUP when pgshift
 * handles the signal (cleanup.ts). On a plain exit without `stop()`, or a
 * killed process, they stay: nothing can be sent to a server then.
 *
 * @example
 * const server = await scratchFromUrl(process.env.SCRATCH_URL, { connect });
 * try { await migrate(server.url); } finally { await server.stop(); }
 * @throws PgshiftError SCRATCH_UNAVAILABLE (no such server, not a URL) or SCRATCH_FAILED (no database could be created)
 */
export async function scratchFromUrl(url: string, options: ScratchFromUrlOptions): Promise<ScratchServer> {
  if (!isPostgresUrl(url)) {
    throw fail('SCRATCH_UNAVAILABLE', 'the scratch server URL is not a postgres:// URL', {
      hint: 'give the scratch server URL as postgres://user:password@host:port/database',
      settings: ['scratchUrl'],
    });
  }
  const { connect } = options;
  const release = await withSession(connect, url, 'SCRATCH_UNAVAILABLE', serverRelease);
  const created = new Set<string>();
  let stopping: Promise<void> | undefined;

  const make = async (create: CreateDatabaseOptions = {}): Promise<string> => {
    if (stopping) throw fail('SCRATCH_FAILED', 'the scratch server has been stopped', { hint: 'create databases before stopping it' });
    const name = newDatabaseName();
    // Noted before it exists: a CREATE that succeeded unheard is still dropped (IF EXISTS).
    created.add(name);
    await createDatabase({ connect, adminUrl: url, name, ...create });
    return urlForDatabase(url, name);
  };

  const drop = async (database: string): Promise<void> => {
    const name = templateName(database);
    if (!created.has(name)) throw new Error(`refusing to drop ${name}, which this scratch server did not create`);
    await withSession(connect, url, 'SCRATCH_FAILED', (client) => dropDatabase(client, name, release.major));
    created.delete(name);
  };

  const dropAll = async (): Promise<void> => {
    if (created.size === 0) return;
    const left: string[] = [];
    let reason = '';
    await withSession(connect, url, 'SCRATCH_FAILED', async (client) => {
      for (const name of [...created]) {
        try {
          await dropDatabase(client, name, release.major);
          created.delete(name);
        } catch (error) {
          left.push(name);
          reason = redactUrl(url, messageOf(error));
        }
      }
    }).catch((error: unknown) => {
      left.push(...created);
      reason = messageOf(error);
    });
    if (left.length === 0) return;
    throw fail(
      'SCRATCH_FAILED',
      `could not drop the scratch databases ${[...new Set(left)].join(', ')} on ${describeUrl(url)}: ${reason}`,
      {
        hint: 'drop them by hand (DROP DATABASE … WITH (FORCE)); every database pgshift creates is named pgshift_scratch_…',
      },
    );
  };

  const stop = (): Promise<void> =>
    (stopping ??= dropAll().then(untrack, (error: unknown) => {
      // Not stopped after all: a later stop() tries again.
      stopping = undefined;
      throw error;
    }));
  // On exit nothing can be awaited, so there is no synchronous drop to offer.
  const untrack = track({ stop, stopSync: () => {} });

  let first: string;
  try {
    first = await make();
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  // Ends every session on pgshift's databases there: the server itself is not pgshift's to stop.
  const interrupt = async (): Promise<void> => {
    await withSession(connect, url, 'SCRATCH_FAILED', (client) =>
      client.query(
        'SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_catalog.pg_backend_pid()',
        [[...created]],
      ),
    ).catch(() => {});
  };
  return {
    kind: 'given',
    url: first,
    major: release.major,
    version: release.version,
    createDatabase: make,
    dropDatabase: drop,
    interrupt,
    gone: async () => undefined,
    stop,
  };
}
