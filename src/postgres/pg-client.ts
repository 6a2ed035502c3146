import pg from 'pg';
import type { DbClient } from '../core/ports.js';
import { fail, type PgshiftError } from '../core/problem.js';
import { redactor } from '../core/redact.js';
import { describeConnection, formatConnection, looksMisparsed, secretsOf, type ConnectionInput } from './connection-info.js';

export interface SessionSettings {
  /** Applied to every statement the session runs, migrations included; undefined = the server's setting, 0 = none. */
  readonly lockTimeoutMs?: number | undefined;
  readonly statementTimeoutMs?: number | undefined;
}

/** The one dedicated connection of a run, through the engine's port. */
export interface Session {
  readonly client: DbClient;
  /** False once the connection has ended or failed (the server ended it, say), without asking the server. */
  alive(): boolean;
  /** Ends the session, which also frees its advisory lock. Never throws. */
  close(): Promise<void>;
}

/**
 * Opens the one dedicated connection a run uses, with node-postgres. The
 * timeouts and `application_name` travel in the startup packet, so they cost
 * no round trip.
 */
export async function openSession(input: ConnectionInput, settings: SessionSettings = {}): Promise<Session> {
  const base: pg.ClientConfig = typeof input === 'string' ? { connectionString: input } : input;
  // As -c options in the startup packet: node-postgres drops a 0 from its own timeout fields,
  // and 0 must reach the server, meaning no timeout as in PostgreSQL, whatever its own setting.
  const timeouts = [
    settings.lockTimeoutMs !== undefined ? `-c lock_timeout=${settings.lockTimeoutMs}` : '',
    settings.statementTimeoutMs !== undefined ? `-c statement_timeout=${settings.statementTimeoutMs}` : '',
  ].filter(Boolean);
  const options = [base.options, ...timeouts].filter(Boolean).join(' ');
  const config: pg.ClientConfig = {
    application_name: 'pgshift',
    connectionTimeoutMillis: 30_000,
    ...base,
    ...(options && { options }),
  };
  let client: pg.Client;
  try {
    client = new pg.Client(config);
  } catch (error) {
    throw connectionError(input, error);
  }
  let alive = true;
  // An idle client's socket error must not crash the process; the next query reports it.
  client.on('error', () => void (alive = false));
  client.on('end', () => void (alive = false));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(input, error);
  }
  return { client: countingClient(client), alive: () => alive, close: () => client.end().catch(() => {}) };
}

/**
 * The client as the port, telling on a failed query how many of its commands
 * completed first (`completedCommands` on the error): for a message of many
 * statements that failed without a position, that count says which one
 * failed. node-postgres has no public hook for it, so this listens to the
 * `commandComplete` messages of its (private) `connection`, checked on pg 8.x.
 */
function countingClient(client: pg.Client): DbClient {
  let completed = 0;
  const connection = (client as unknown as { connection?: NodeJS.EventEmitter }).connection;
  connection?.on('commandComplete', () => void completed++);
  return {
    async query<Row>(text: string, values?: readonly unknown[]) {
      completed = 0;
      try {
        const result = values === undefined ? await client.query(text) : await client.query(text, values as unknown[]);
        return result as unknown as { rows: Row[]; fields: pg.FieldDef[] };
      } catch (error) {
        if (error !== null && typeof error === 'object' && connection) Object.assign(error, { completedCommands: completed });
        throw error;
      }
    },
  };
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is PostgreSQL running and listening there?',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'the server closed the connection',
  EHOSTUNREACH: 'host unreachable',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user',
  '3D000': 'database does not exist',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
};

function connectionError(input: ConnectionInput, error: unknown): PgshiftError {
  const code = (error as { code?: string }).code;
  const known = code === undefined ? undefined : CONNECTION_CODES[code];
  // Messages from the driver can quote the connection string: every form of the password is masked.
  const raw = redactor(secretsOf(input))(error instanceof Error ? error.message : String(error));
  let reason = known ?? (/terminated|closed|end of stream/i.test(raw) ? 'the server closed the connection during start-up' : raw);
  if (code === '3D000' || code === '28P01' || code === '28000') reason = raw;
  const misparsed = looksMisparsed(input);
  return fail('CONNECTION_FAILED', `cannot connect to ${formatConnection(describeConnection(input))}: ${reason}`, {
    hint: misparsed
      ? 'the URL holds more than one @ or a / before its @: percent-encode those characters in the user name and password (@ as %40, / as %2F)'
      : 'check the connection and that the server accepts connections from here',
    ...(!misparsed && { settings: ['connection'] }),
    ...(code && /^[0-9A-Z]{5}$/.test(code) && { server: { sqlstate: code } }),
  });
}
