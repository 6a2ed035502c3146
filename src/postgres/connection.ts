import pg from 'pg';
import { PgshiftError } from '../core/errors.js';

/** A connection string (`postgres://…`) or node-postgres' client settings. */
export type ConnectionInput = string | pg.ClientConfig;

export interface SessionSettings {
  /** Applied to every statement the session runs, migrations included; 0 or undefined = server default. */
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/**
 * Opens the one dedicated connection a run uses. The timeouts and
 * `application_name` travel in the startup packet, so they cost no round trip.
 */
export async function connect(input: ConnectionInput, settings: SessionSettings = {}): Promise<pg.Client> {
  const base: pg.ClientConfig = typeof input === 'string' ? { connectionString: input } : input;
  const config: pg.ClientConfig = {
    application_name: 'pgshift',
    connectionTimeoutMillis: 30_000,
    ...base,
    ...(settings.lockTimeoutMs ? { lock_timeout: settings.lockTimeoutMs } : {}),
    ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
  };
  let client: pg.Client;
  try {
    client = new pg.Client(config);
  } catch (error) {
    throw connectionError(input, error);
  }
  // An idle client's socket error must not crash the process; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(input, error);
  }
  return client;
}

/** Closes the connection; ending the session also frees its advisory lock. */
export async function disconnect(client: pg.Client): Promise<void> {
  await client.end().catch(() => {});
}

/** `host:port/database`: what to show of a connection; never the user or password. */
export function describeConnection(input: ConnectionInput): string {
  try {
    const text = typeof input === 'string' ? input : input.connectionString;
    const config = text ? parseConnectionString(text) : (input as pg.ClientConfig);
    const host = config.host ?? 'localhost';
    const port = config.port ? `:${config.port}` : '';
    return `${host}${port}/${config.database ?? config.user ?? ''}`;
  } catch {
    return 'the database';
  }
}

/**
 * Host, port and database of a URL, read from what follows its last `@`: a
 * password with an unencoded `/` or `@` would otherwise be read as a host,
 * port or path, and shown.
 */
function parseConnectionString(text: string): pg.ClientConfig {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const url = new URL(scheme + text.slice(Math.max(text.lastIndexOf('@') + 1, scheme.length)));
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('not a URL');
  const host = url.searchParams.get('host') ?? decodeURIComponent(url.hostname);
  return {
    host,
    ...(url.port && { port: Number(url.port) }),
    ...(url.pathname.length > 1 && { database: decodeURIComponent(url.pathname.slice(1)) }),
  };
}

/** The password, raw and URL-encoded, so front ends can mask every form of it. */
export function secretsOf(input: ConnectionInput | undefined): string[] {
  if (input === undefined) return [];
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string' || value.length === 0) return;
    found.add(value);
    found.add(encodeURIComponent(value));
    try {
      found.add(decodeURIComponent(value));
    } catch {
      // not URL-encoded: the raw form is already kept
    }
  };
  if (typeof input === 'string') {
    found.add(input);
    try {
      add(new URL(input).password);
    } catch {
      // not a URL (a libpq key=value string): nothing more to pick out
    }
    // Everything between user: and the last @, for a password whose / or @ was not encoded.
    add(/^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:(.*)@[^@]*$/is.exec(input)?.[1]);
    const keyword = /password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/i.exec(input)?.[1];
    if (keyword) add(keyword.replace(/^'|'$/g, ''));
  } else {
    add(input.password);
    add(input.connectionString);
    if (input.connectionString) for (const s of secretsOf(input.connectionString)) found.add(s);
  }
  return [...found].filter((s) => s.length >= 3);
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
  const raw = error instanceof Error ? error.message : String(error);
  // Messages from the driver can quote the connection string: every form of the password is masked.
  let reason =
    known ?? (/terminated|closed|end of stream/i.test(raw) ? 'the server closed the connection during start-up' : scrub(raw, input));
  if (code === '3D000' || code === '28P01' || code === '28000') reason = scrub(raw, input);
  return new PgshiftError('CONNECTION_FAILED', `cannot connect to ${describeConnection(input)}: ${reason}`, {
    hint: looksMisparsed(input)
      ? 'the URL holds more than one @ or a / before its @: percent-encode those characters in the user name and password (@ as %40, / as %2F)'
      : 'check the connection URL (--database-url or DATABASE_URL) and that the server accepts connections from here',
    ...(code && /^[0-9A-Z]{5}$/.test(code) && { server: { sqlstate: code } }),
  });
}

function looksMisparsed(input: ConnectionInput): boolean {
  const text = typeof input === 'string' ? input : input.connectionString;
  if (!text) return false;
  const authority = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const at = authority.lastIndexOf('@');
  return at !== -1 && (authority.indexOf('@') !== at || authority.slice(0, at).includes('/'));
}

function scrub(text: string, input: ConnectionInput): string {
  let out = text;
  for (const secret of secretsOf(input)) out = out.split(secret).join('***');
  return out;
}
