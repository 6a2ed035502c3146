import type { MigrationListing } from '../core/ports.js';
import { errorsOf, fail, PgshiftError } from '../core/problem.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import { openSession, type Session } from '../postgres/pg-client.js';
import { readTracking, type TrackingState } from '../postgres/tracking.js';
import type { Settings } from '../options.js';

/** The files, the run's session and the tracking table as first read. */
export interface Opened {
  readonly listing: MigrationListing;
  readonly session: Session;
  readonly tracking: TrackingState;
}

/**
 * Reads the files and, at the same time, connects and reads the tracking
 * table, so the round trips overlap the file I/O. When the connection fails
 * the files' own errors are reported with it, first: bad input before a
 * failure of the operation.
 */
export async function openAll(settings: Settings, options: { readonly readOnly?: boolean } = {}): Promise<Opened> {
  const connection = requireConnection(settings.connection);
  const connecting = openSession(connection, { ...settings, ...(options.readOnly && { readOnly: true }) }).then(async (session) => {
    try {
      return { session, tracking: await readTracking(session.client, settings.table) };
    } catch (error) {
      await session.close();
      throw error;
    }
  });
  // Handled at once: it may fail while the files are still being read.
  connecting.catch(() => {});
  let listing: MigrationListing;
  try {
    listing = await settings.source.read();
  } catch (error) {
    void connecting.then(
      ({ session }) => session.close(),
      () => {},
    );
    throw error;
  }
  try {
    return { listing, ...(await connecting) };
  } catch (error) {
    const fileErrors = errorsOf(listing.problems);
    if (fileErrors.length === 0 || !(error instanceof PgshiftError)) throw error;
    throw new PgshiftError([...fileErrors, ...error.problems], { message: `${fileErrors.length + 1} problems; nothing was run` });
  }
}

export function requireConnection(connection: ConnectionInput | undefined): ConnectionInput {
  if (connection === undefined) {
    throw fail('INVALID_OPTION', 'no database to connect to', { hint: 'give the connection', settings: ['connection'] });
  }
  return connection;
}
