/**
 * libpq's other connection string form, `host=db port=5432 dbname=app
 * user=me password='a b'`, as a `postgres://` URL: node-postgres reads only
 * URLs, and every other part of pgshift (describing, masking, sslmode) then
 * reads one form. Values may be single-quoted, with `\'` and `\\` inside.
 */

/** Whether `text` is a keyword/value string rather than a URL: `name=value` pairs and nothing else. */
export function isKeywordString(text: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && /^\s*[a-z_]+\s*=/i.test(text);
}

/** The pairs of a keyword/value string, or a message saying where it cannot be read. */
export function parseKeywords(text: string): Map<string, string> | string {
  const pairs = new Map<string, string>();
  const re = /\s*([a-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s']*))\s*/giy;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    // The offset only: the text there may be a password.
    if (!m || m[0] === '')
      return `cannot read the connection string at character ${at + 1}: write it as key=value pairs or as a postgres:// URL`;
    pairs.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
    at = re.lastIndex;
  }
  return pairs;
}

/** The same connection as a `postgres://` URL, or the message of {@link parseKeywords}. */
export function keywordsToUrl(text: string): string {
  const pairs = parseKeywords(text);
  if (typeof pairs === 'string') throw new Error(pairs);
  const take = (key: string) => {
    const value = pairs.get(key);
    pairs.delete(key);
    return value;
  };
  const user = take('user');
  const password = take('password');
  const host = take('host') ?? take('hostaddr');
  take('hostaddr');
  const port = take('port');
  const database = take('dbname');
  // A password without a user keeps its place (an empty user is the driver's default user).
  const credentials =
    user === undefined && password === undefined
      ? ''
      : `${encodeURIComponent(user ?? '')}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  // A socket directory (a path) goes in the query, as libpq's URLs put it.
  const socket = host !== undefined && host.startsWith('/');
  if (socket) pairs.set('host', host);
  const authority = socket || host === undefined ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const query = new URLSearchParams([...pairs]).toString();
  return `postgres://${credentials}${authority}${port ? `:${port}` : ''}/${database === undefined ? '' : encodeURIComponent(database)}${query ? `?${query}` : ''}`;
}
