/**
 * Server URLs as pgshift shows them: never with their password. A given
 * server's URL may hold one; every message about it goes through here.
 */

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `url` is a `postgres://` or `postgresql://` URL. */
export const isPostgresUrl = (url: string): boolean => parse(url) !== undefined;

/**
 * `postgres://user@host:port/database`: no password and no query string
 * (which may carry `password=` or key files). `the scratch server URL` when
 * it cannot be read, rather than risk showing it.
 */
export function describeUrl(url: string): string {
  const parsed = parse(url);
  if (!parsed) return '(the scratch server URL, which could not be read)';
  const user = parsed.username ? `${parsed.username}@` : '';
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** `text` with every form of the URL's password (raw, percent-encoded, decoded) masked as `***`. */
export function redactUrl(url: string, text: string): string {
  const parsed = parse(url);
  const forms = new Set<string>([url]);
  for (const secret of [parsed?.password, parsed?.searchParams.get('password')]) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    try {
      forms.add(decodeURIComponent(secret));
    } catch {
      // not percent-encoded: the raw form is kept
    }
  }
  const ordered = [...forms].filter((form) => form.length >= 3).sort((a, b) => b.length - a.length);
  return ordered.reduce((result, form) => result.split(form).join(form === url ? describeUrl(url) : '***'), text);
}

/** The same server and credentials, another database. */
export function urlForDatabase(url: string, database: string): string {
  const parsed = parse(url);
  if (!parsed) throw new Error('not a postgres:// URL');
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** What a connection to a scratch server is made of: every field spelled out. */
// A type, not an interface: it must fit the driver's settings, which take any other key.
export type ScratchConnectionSettings = {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The given URL's password, or a function that refuses: a private server is never sent one. */
  readonly password: string | (() => string);
  readonly ssl: boolean | { readonly rejectUnauthorized: boolean };
  readonly options: string;
  readonly replication: string;
  readonly client_encoding: string;
  readonly application_name: string;
  readonly connectionTimeoutMillis: number;
};

/**
 * The settings of a connection to a scratch server, with every field that
 * node-postgres would otherwise take from the environment spelled out (it
 * reads PGUSER, PGPASSWORD, PGOPTIONS, PGSSLMODE… for any field left
 * empty): the user's PG* settings are for their own servers. A migration on
 * the scratch server may change its authentication (pg_hba.conf and a
 * reload, or a listener of its own on the port); so no password is ever
 * sent but the one a given URL holds itself: when a server asks for one
 * otherwise, the connection fails before anything is sent.
 * `user` replaces the URL's user (the role the branch's migrations run as).
 */
export function scratchConnection(url: string, user?: string): ScratchConnectionSettings {
  const parsed = parse(url);
  if (!parsed) throw new Error('not a postgres:// URL');
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const host = decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1') || parsed.searchParams.get('host') || '';
  if (host === '') throw new Error('the scratch server URL names no host');
  const refuse = (): string => {
    throw new Error('the scratch server asked for a password: a migration changed its authentication, and pgshift sends none');
  };
  return {
    // A socket directory comes as ?host=; with neither, node-postgres would take PGHOST: refused above.
    host,
    port: Number(parsed.port || 5432),
    user: user ?? decodeURIComponent(parsed.username || 'postgres'),
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
    password: user === undefined && password !== undefined ? password : refuse,
    ssl: sslOf(parsed.searchParams.get('sslmode')),
    // Non-empty values: node-postgres takes an empty one from PGOPTIONS, PGREPLICATION, PGCLIENTENCODING.
    options: '-c application_name=pgshift',
    replication: 'false',
    client_encoding: 'UTF8',
    application_name: 'pgshift',
    connectionTimeoutMillis: 30_000,
  };
}

/** A given server's sslmode: require encrypts without verifying (as libpq), verify-ca/verify-full check against the system's authorities. */
function sslOf(mode: string | null): ScratchConnectionSettings['ssl'] {
  const m = mode?.toLowerCase();
  if (m === 'require') return { rejectUnauthorized: false };
  return m === 'verify-ca' || m === 'verify-full';
}
