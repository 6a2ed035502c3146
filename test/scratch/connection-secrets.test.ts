/**
 * A connection to a scratch server carries no secret of the user's: a
 * migration may have switched the server's authentication to cleartext
 * passwords, or put a listener of its own on the port. A real local
 * listener plays that server here and records every byte pgshift sends.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/postgres/pg-client.js';
import { scratchConnection } from '../../src/scratch/index.js';
import { adminUrl } from '../support/db.js';

const SECRET = 'hunter2-from-PGPASSWORD';

interface Listener {
  readonly port: number;
  /** Everything received after the password request. */
  afterRequest(): string;
  close(): Promise<void>;
}

/** A server that answers any startup message with AuthenticationCleartextPassword, as a pg_hba `password` line makes PostgreSQL do. */
async function passwordAsking(): Promise<Listener> {
  let received = Buffer.alloc(0);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let asked = false;
    socket.on('data', (chunk) => {
      if (asked) {
        received = Buffer.concat([received, chunk]);
        socket.destroy();
        return;
      }
      // SSLRequest (length 8, code 80877103): refuse, as a server without TLS does.
      if (chunk.length === 8 && chunk.readInt32BE(4) === 80877103) {
        socket.write('N');
        return;
      }
      asked = true;
      const request = Buffer.alloc(9);
      request.write('R', 0);
      request.writeInt32BE(8, 1);
      request.writeInt32BE(3, 5);
      socket.write(request);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    afterRequest: () => received.toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const saved = { ...process.env };
afterEach(() => {
  for (const name of ['PGPASSWORD', 'PGUSER', 'PGOPTIONS', 'PGSSLMODE']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('connections to a scratch server', () => {
  it('send no password when the server asks for one, whatever PGPASSWORD holds', async () => {
    const listener = await passwordAsking();
    process.env.PGPASSWORD = SECRET;
    try {
      const url = `postgres://postgres@127.0.0.1:${listener.port}/postgres`;
      await expect(openSession(scratchConnection(url))).rejects.toThrow(/asked for a password/);
      // The control: the same URL as a plain connection string does send PGPASSWORD, so this listener would see it.
      await openSession(url).catch(() => {});
      expect(listener.afterRequest()).toContain(SECRET);
    } finally {
      await listener.close();
    }
  });

  it('send nothing after the request at all', async () => {
    const listener = await passwordAsking();
    process.env.PGPASSWORD = SECRET;
    try {
      await openSession(scratchConnection(`postgres://postgres@127.0.0.1:${listener.port}/postgres`)).catch(() => {});
      expect(listener.afterRequest()).not.toContain(SECRET);
      expect(listener.afterRequest().startsWith('p')).toBe(false);
    } finally {
      await listener.close();
    }
  });

  it('take none of the PG* settings: the user, options and TLS mode are the URL’s', async () => {
    process.env.PGUSER = 'someone_else';
    process.env.PGOPTIONS = '-c search_path=nowhere';
    process.env.PGSSLMODE = 'require';
    const session = await openSession(scratchConnection(adminUrl()));
    try {
      const { rows } = await session.client.query<{ u: string; p: string }>(
        "SELECT current_user AS u, current_setting('search_path') AS p",
      );
      expect(rows[0]?.u).toBe(decodeURIComponent(new URL(adminUrl()).username));
      expect(rows[0]?.p).not.toContain('nowhere');
    } finally {
      await session.close();
    }
  });

  it('of a given server send the password its URL holds, and only that', () => {
    const given = scratchConnection('postgres://me:p%40ss@db.example:6543/x?sslmode=require');
    expect(given).toMatchObject({
      host: 'db.example',
      port: 6543,
      user: 'me',
      database: 'x',
      password: 'p@ss',
      ssl: { rejectUnauthorized: false },
    });
    expect(typeof scratchConnection('postgres://me@db.example/x').password).toBe('function');
    // A socket directory given as ?host= is where it goes; a URL naming no host is refused, never left to PGHOST.
    expect(scratchConnection('postgres:///x?host=/var/run/postgresql')).toMatchObject({ host: '/var/run/postgresql', database: 'x' });
    expect(() => scratchConnection('postgres:///x')).toThrow('names no host');
    // Another role on the same server: never with the URL's password.
    expect(typeof scratchConnection('postgres://me:pw@db.example/x', 'pgshift_owner').password).toBe('function');
  });
});

describe('a read-only session', () => {
  it('is refused every write by the server', async () => {
    const session = await openSession(adminUrl(), { readOnly: true });
    try {
      await expect(session.client.query('CREATE TEMP TABLE t (id int)')).rejects.toMatchObject({ code: '25006' });
      const { rows } = await session.client.query<{ v: string }>("SELECT current_setting('default_transaction_read_only') AS v");
      expect(rows[0]?.v).toBe('on');
    } finally {
      await session.close();
    }
  });
});
