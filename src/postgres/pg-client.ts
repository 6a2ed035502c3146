import pg from 'pg';
import type { DbClient } from '../core/ports.js';
import { fail, type PgshiftError } from '../core/problem.js';
import { redactor } from '../core/redact.js';
import { describeConnection, formatConnection, looksMisparsed, secretsOf, type ConnectionInput } from './connection-info.js';
import type { SessionPool } from './session-pool.js';
import { isKeywordString, keywordsToUrl, parseKeywords } from './keyword-string.js';

export interface SessionSettings {
  /** Applied to every statement the session runs, migrations included; undefined = the server's setting, 0 = none. */
  readonly lockTimeoutMs?: number | undefined;
  readonly statementTimeoutMs?: number | undefined;
  /** Every transaction of the session read-only (`default_transaction_read_only`): for a look at production that must change nothing. */
  readonly readOnly?: boolean | undefined;
  /**
   * The session's search_path, set at its start (a schema-per-tenant
   * target's schema): every transaction of the session, and every statement
   * of a no-transaction migration, runs with it, and the RESET ALL that
   * follows each migration returns to it. A plain lower-case name (checked
   * by resolveOptions), so it needs no escaping in the startup packet.
   */
  readonly searchPath?: string | undefined;
  /** Where the session comes from and goes back to when closed; a connection of its own without one. */
  readonly pool?: SessionPool | undefined;
  /** How long connecting may take, in ms (default 30 s). */
  readonly connectTimeoutMs?: number | undefined;
}

/** The one dedicated connection of a run, through the engine's port. */
export interface Session {
  readonly client: DbClient;
  /** False once the connection has ended or failed (the server ended it, say), without asking the server. */
  alive(): boolean;
  /** The server's major version (15 for 15.4), as it announced it when the session started. */
  serverMajor(): number | undefined;
  /** Ends the session, which also frees its advisory lock. Never throws. */
  close(): Promise<void>;
}

/**
 * Opens the one dedicated connection a run uses, with node-postgres. The
 * timeouts and `application_name` travel in the startup packet, so they cost
 * no round trip.
 */
export async function openSession(input: ConnectionInput, settings: SessionSettings = {}): Promise<Session> {
  if (settings.pool) return settings.pool.open(input, settings);
  const base = withLibpqSsl(asUrl(typeof input === 'string' ? { connectionString: input } : (input as pg.ClientConfig)));
  try {
    return await connectWith(base, settings);
  } catch (error) {
    // sslmode=prefer (libpq's default) and allow: encrypted when the server can, in the clear when it cannot.
    const plainWillDo =
      /[?&]sslmode=prefer/i.test(base.connectionString ?? '') && error instanceof Error && /does not support SSL/i.test(error.message);
    if (!plainWillDo) throw connectionError(input, error);
    return connectWith({ ...base, connectionString: setParam(base.connectionString!, 'sslmode', 'disable') }, settings).catch(
      (again: unknown) => {
        throw connectionError(input, again);
      },
    );
  }
}

/** A libpq keyword/value string (`host=db dbname=app`) read as the URL it stands for; one that cannot be read is refused. */
function asUrl(config: pg.ClientConfig): pg.ClientConfig {
  const text = config.connectionString;
  if (text === undefined || !isKeywordString(text)) return config;
  const pairs = parseKeywords(text);
  if (typeof pairs === 'string') {
    throw fail('INVALID_OPTION', pairs, {
      hint: 'write the connection as key=value pairs (values with spaces in single quotes) or as a postgres:// URL',
      settings: ['connection'],
    });
  }
  return { ...config, connectionString: keywordsToUrl(text) };
}

/**
 * sslmode as libpq documents it: node-postgres on its own reads prefer,
 * require and verify-ca as verify-full (and warns on stderr); asked for
 * libpq's semantics it reads them as libpq does: require encrypts without
 * verifying the certificate (unless sslrootcert is given), verify-ca checks
 * the chain, verify-full also the host name.
 */
function withLibpqSsl(config: pg.ClientConfig): pg.ClientConfig {
  const text = config.connectionString;
  if (!text || !/[?&]sslmode=/i.test(text) || /[?&]uselibpqcompat=/i.test(text)) return config;
  const mode = /[?&]sslmode=([^&]*)/i.exec(text)?.[1]?.toLowerCase();
  // allow is prefer's mirror image (plain first, then TLS); taken as prefer, which only differs in the order it tries.
  const normal = mode === 'allow' ? setParam(text, 'sslmode', 'prefer') : text;
  return { ...config, connectionString: setParam(normal, 'uselibpqcompat', 'true') };
}

function setParam(url: string, name: string, value: string): string {
  const pattern = new RegExp(`([?&])${name}=[^&]*`, 'i');
  if (pattern.test(url)) return url.replace(pattern, `$1${name}=${value}`);
  return `${url}${url.includes('?') ? '&' : '?'}${name}=${value}`;
}

/** Connects, or throws what the driver threw. */
interface ParameterStatus {
  readonly parameterName: string;
  readonly parameterValue: string;
}

async function connectWith(base: pg.ClientConfig, settings: SessionSettings): Promise<Session> {
  // As -c options in the startup packet: node-postgres drops a 0 from its own timeout fields,
  // and 0 must reach the server, meaning no timeout as in PostgreSQL, whatever its own setting.
  const timeouts = [
    settings.lockTimeoutMs !== undefined ? `-c lock_timeout=${settings.lockTimeoutMs}` : '',
    settings.statementTimeoutMs !== undefined ? `-c statement_timeout=${settings.statementTimeoutMs}` : '',
    settings.readOnly ? '-c default_transaction_read_only=on' : '',
    settings.searchPath !== undefined ? `-c search_path=${settings.searchPath}` : '',
  ].filter(Boolean);
  const options = [base.options, ...timeouts].filter(Boolean).join(' ');
  const config: pg.ClientConfig = {
    application_name: 'pgshift',
    connectionTimeoutMillis: settings.connectTimeoutMs ?? 30_000,
    ...base,
    ...(options && { options }),
  };
  const client = new pg.Client(config);
  let alive = true;
  // The server says its version when the session starts: kept, so that nothing has to ask for it.
  let major: number | undefined;
  const connection = (client as unknown as { connection?: { on(event: string, f: (m: ParameterStatus) => void): void } }).connection;
  connection?.on('parameterStatus', (m) => {
    if (m.parameterName === 'server_version') major = Number.parseInt(m.parameterValue, 10) || undefined;
  });
  // An idle client's socket error must not crash the process; the next query reports it.
  client.on('error', () => void (alive = false));
  client.on('end', () => void (alive = false));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    client: countingClient(client),
    alive: () => alive,
    serverMajor: () => major,
    close: () => endWithin(client, CLOSE_MS),
  };
}

/** How long a goodbye may take before the socket is dropped. */
const CLOSE_MS = 2_000;

/**
 * Ends the session; when the server does not close the socket in time, drops
 * it. A program a migration started on the server (`COPY … TO PROGRAM
 * 'sleep 97 &'`) inherits the backend's socket and keeps it open after the
 * backend has gone, so `end()` alone would wait for that program.
 */
async function endWithin(client: pg.Client, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const ended = await Promise.race([
    client.end().then(
      () => 'ended' as const,
      () => 'ended' as const,
    ),
    late,
  ]);
  clearTimeout(timer);
  if (ended === 'late') (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
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
  const counting = {
    // What the last ReadyForQuery said of the transaction ('I', 'T', 'E'): the schema snapshot reads it to skip a probe.
    getTransactionStatus: () => (client as { getTransactionStatus?: () => unknown }).getTransactionStatus?.(),
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
  return counting;
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
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the server's certificate is self-signed, so it cannot be verified (sslmode=require encrypts without verifying; sslrootcert names the certificate to trust)",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in a certificate that is not trusted (give it as sslrootcert)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's certificate is not signed by a trusted authority (give the authority's certificate as sslrootcert)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "the server's certificate is not signed by a trusted authority (give the authority's certificate as sslrootcert)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is for another host name (sslmode=verify-ca checks the chain without the name)",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
};

function connectionError(input: ConnectionInput, error: unknown): PgshiftError {
  const code = (error as { code?: string }).code;
  const known = code === undefined ? undefined : CONNECTION_CODES[code];
  // Messages from the driver can quote the connection string: every form of the password is masked.
  const raw = redactor(secretsOf(input))(error instanceof Error ? error.message : String(error));
  let reason =
    known ??
    (/does not support SSL/i.test(raw)
      ? 'the server does not accept TLS connections (sslmode=prefer falls back to plain; disable turns TLS off)'
      : /ENOENT.*open/i.test(raw)
        ? `a file the connection names does not exist (${raw.replace(/^.*open '([^']*)'.*$/s, '$1')})`
        : /terminated|closed|end of stream/i.test(raw)
          ? 'the server closed the connection during start-up'
          : raw);
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
