/**
 * The SQL of scratch servers, in one place: reading the release, creating
 * and dropping databases. It goes through the connection port, so this
 * folder loads no driver. Names are pgshift's own (`pgshift_scratch_<hex>`)
 * or the caller's template, always quoted as identifiers.
 */
import { randomBytes } from 'node:crypto';
import { quoteIdent } from '../core/identifier.js';
import { fail } from '../core/problem.js';
import { describeUrl, redactUrl } from './url.js';
import type { ScratchClient, ScratchConnect, ScratchSession } from './types.js';

/** Every database pgshift creates is named so: others are never touched. */
export const SCRATCH_PREFIX = 'pgshift_scratch_';

export const newDatabaseName = (): string => SCRATCH_PREFIX + randomBytes(6).toString('hex');

/** 150004 → 15, 90624 → 9.6; `15.20 (Debian …)` → `15.20`. */
export async function serverRelease(client: ScratchClient): Promise<{ major: number; version: string }> {
  const { rows } = await client.query<{ num: string; version: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`,
  );
  const num = Number(rows[0]?.num);
  const major = num >= 100_000 ? Math.floor(num / 10_000) : Math.floor(num / 10_000) + Math.floor((num % 10_000) / 100) / 10;
  return { major, version: (rows[0]?.version ?? '').split(' ')[0]! };
}

export interface CreateOptions {
  readonly connect: ScratchConnect;
  /** Where to run CREATE DATABASE from: a database other than the template. */
  readonly adminUrl: string;
  readonly name: string;
  readonly template?: string;
}

/**
 * CREATE DATABASE, as a copy of the template when there is one, with the
 * server's default strategy (WAL_LOG from 15 on). STRATEGY FILE_COPY was
 * measured and left out: it checkpoints the whole server before and after
 * the copy. On a 15.20 server with fsync on, copying a small database took
 * a median 1.2 s with it against 45 ms without; on the private servers
 * (fsync off) the two were even, within this machine's noise. A forced
 * checkpoint is also a cost put on a given server's other users.
 */
export async function createDatabase(options: CreateOptions): Promise<void> {
  const template = options.template === undefined ? '' : ` TEMPLATE ${quoteIdent(templateName(options.template))}`;
  await withSession(options.connect, options.adminUrl, 'SCRATCH_FAILED', async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(options.name)}${template}`);
    } catch (error) {
      throw createFailed(error, options);
    }
  });
}

/**
 * Drops one of pgshift's databases, disconnecting whoever is still in it:
 * WITH (FORCE) from 13 on; before, connections are refused and the sessions
 * ended first (DROP DATABASE then waits up to 5 s for them to go).
 */
export async function dropDatabase(client: ScratchClient, name: string, major: number): Promise<void> {
  if (!name.startsWith(SCRATCH_PREFIX)) throw new Error(`refusing to drop ${name}, which pgshift did not create`);
  const quoted = quoteIdent(name);
  if (major >= 13) {
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    return;
  }
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]);
  if (rows[0]?.n === 0) return;
  await client.query(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS false`);
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  await client.query(`DROP DATABASE IF EXISTS ${quoted}`);
}

/** Runs `work` on a connection to `url`, closed afterwards; a failed connection is a one-line error. */
export async function withSession<T>(
  connect: ScratchConnect,
  url: string,
  code: 'SCRATCH_FAILED' | 'SCRATCH_UNAVAILABLE',
  work: (client: ScratchClient) => Promise<T>,
): Promise<T> {
  let session: ScratchSession;
  try {
    session = await connect(url);
  } catch (error) {
    throw fail(code, `could not connect to the scratch server ${describeUrl(url)}: ${redactUrl(url, messageOf(error))}`, {
      hint: 'check the scratch server URL and that the server accepts connections from here',
      settings: ['scratchUrl'],
      ...sqlstateOf(error),
    });
  }
  try {
    return await work(session.client);
  } finally {
    await session.close();
  }
}

/** A database name from a name or from a URL `createDatabase` returned. */
export function templateName(template: string): string {
  if (!/^postgres(ql)?:\/\//i.test(template)) return template;
  return decodeURIComponent(new URL(template).pathname.slice(1));
}

function createFailed(error: unknown, options: CreateOptions) {
  const where = describeUrl(options.adminUrl);
  const code = (error as { code?: unknown }).code;
  const template = options.template === undefined ? undefined : templateName(options.template);
  const fields = sqlstateOf(error);
  if (code === '55006' && template !== undefined) {
    return fail('SCRATCH_FAILED', `could not copy the database ${template} on ${where}: other sessions are connected to it`, {
      hint: 'close every connection to the template database before copying it',
      ...fields,
    });
  }
  if (code === '3D000' && template !== undefined) {
    return fail('SCRATCH_FAILED', `could not copy the database ${template} on ${where}: there is no such database`, {
      hint: 'give as template a database of the scratch server, such as a URL that creating a database returned',
      ...fields,
    });
  }
  if (code === '42501') {
    return fail('SCRATCH_FAILED', `the scratch server ${where} does not let its user create databases`, {
      hint: 'give the user the CREATEDB privilege (ALTER ROLE … CREATEDB), or give the scratch server URL of a user that has it',
      settings: ['scratchUrl'],
      ...fields,
    });
  }
  return fail(
    'SCRATCH_FAILED',
    `could not create the database ${options.name} on ${where}: ${redactUrl(options.adminUrl, messageOf(error))}`,
    {
      hint: 'check that the scratch server accepts CREATE DATABASE from this user',
      ...fields,
    },
  );
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function sqlstateOf(error: unknown): { server?: { sqlstate: string } } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? { server: { sqlstate: code } } : {};
}
