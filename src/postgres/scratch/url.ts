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
