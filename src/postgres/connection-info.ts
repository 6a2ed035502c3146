import { MIN_SECRET_LENGTH } from '../core/redact.js';
import { isKeywordString, keywordsToUrl } from './keyword-string.js';

/** The password forms of a keyword/value string's URL form (what the driver is given). */
const secretsOfUrl = (text: string): string[] => {
  try {
    const password = new URL(keywordsToUrl(text)).password;
    return password ? [password] : [];
  } catch {
    return [];
  }
};

/**
 * Connection settings, as node-postgres takes them (a `pg.ClientConfig` fits):
 * spelled out here so that the library's types need no `@types/pg`.
 */
export interface ConnectionSettings {
  readonly connectionString?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string | (() => string | Promise<string>);
  /** TLS: `true`, or Node's TLS options (`ca`, `cert`, `key`, `rejectUnauthorized`...). */
  readonly ssl?: boolean | object;
  readonly application_name?: string;
  /** Command-line options sent to the server at connection start (`-c name=value`). */
  readonly options?: string;
  readonly connectionTimeoutMillis?: number;
  readonly keepAlive?: boolean;
  /** Anything else node-postgres takes. */
  readonly [setting: string]: unknown;
}

/** A connection string (`postgres://…`) or connection settings. */
export type ConnectionInput = string | ConnectionSettings;

/** What may be shown of a connection: where it goes, never the user or the password. */
export interface ConnectionDescription {
  /** Absent when the connection string could not be read. */
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

/** Host, port and database of a connection; never the user or password. */
export function describeConnection(input: ConnectionInput): ConnectionDescription {
  try {
    const given = typeof input === 'string' ? input : input.connectionString;
    const text = given && isKeywordString(given) ? keywordsToUrl(given) : given;
    const config = text ? parseConnectionString(text) : (input as ConnectionSettings);
    const database = config.database ?? config.user;
    return {
      host: config.host ?? 'localhost',
      ...(config.port !== undefined && config.port !== 0 && { port: Number(config.port) }),
      ...(database !== undefined && { database }),
    };
  } catch {
    return {};
  }
}

/** `host:port/database`, or `the database` when nothing could be read. */
export function formatConnection(d: ConnectionDescription): string {
  if (d.host === undefined) return 'the database';
  return `${d.host}${d.port === undefined ? '' : `:${d.port}`}/${d.database ?? ''}`;
}

/**
 * Host, port and database of a URL, read from what follows its last `@`: a
 * password with an unencoded `/` or `@` would otherwise be read as a host,
 * port or path, and shown.
 */
function parseConnectionString(text: string): Pick<ConnectionSettings, 'host' | 'port' | 'database' | 'user'> {
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

/**
 * The secrets of a connection, for front ends to mask: the connection
 * string whole, and its password wherever it is written (after `user:`, in a
 * `password=` query parameter or libpq keyword, a settings object's
 * `password`), raw, URL-encoded and URL-decoded. `redactor` adds the
 * JSON-escaped forms. A password given as a function cannot be known here.
 */
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
      const url = new URL(input);
      add(url.password);
      for (const value of url.searchParams.getAll('password')) add(value);
    } catch {
      // not a URL (a libpq key=value string): the patterns below pick it out
    }
    if (isKeywordString(input)) for (const s of secretsOfUrl(input)) found.add(s);
    // Everything between user: and the last @, for a password whose / or @ was not encoded.
    add(/^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:(.*)@[^@]*$/is.exec(input)?.[1]);
    // A query parameter as written (up to the next &), and a libpq keyword (quoted, or up to a space).
    for (const m of input.matchAll(/[?&]password=([^&#]*)/gi)) add(m[1]);
    for (const m of input.matchAll(/(?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)/gi)) {
      const value = m[1]!;
      add(value.startsWith("'") ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value);
    }
  } else {
    add(input.password);
    if (input.connectionString) for (const s of secretsOf(input.connectionString)) found.add(s);
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** True when a URL holds more than one @ or a / before its @: a password that was not percent-encoded. */
export function looksMisparsed(input: ConnectionInput): boolean {
  const text = typeof input === 'string' ? input : input.connectionString;
  if (!text) return false;
  const authority = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const at = authority.lastIndexOf('@');
  return at !== -1 && (authority.indexOf('@') !== at || authority.slice(0, at).includes('/'));
}
