// A counting TCP proxy in front of PostgreSQL (untimed runs only).
// It forwards bytes unchanged and parses the wire protocol on the way:
// frontend messages by type ('Q' simple query; 'P' Parse, 'B' Bind,
// 'E' Execute, 'S' Sync of the extended protocol, ...) and, from the
// backend, CommandComplete ('C': one per statement executed) and
// ReadyForQuery ('Z'). A round trip is a Query or a Sync: each makes the
// client wait for ReadyForQuery.
import { createServer, connect } from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

function emptyCounts() {
  return { connections: 0, frontend: {}, roundTrips: 0, statements: 0, errors: 0, encrypted: 0 };
}

/**
 * Starts the proxy on 127.0.0.1 (a free port) forwarding to host:port.
 * Returns { port, reset(), snapshot(), idle(), close() }.
 */
export async function startProxy(targetHost, targetPort) {
  let counts = emptyCounts();
  const open = new Set();
  let idleWaiters = [];

  const server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort });
    const conn = { client, upstream, encrypted: false, pendingSingleByte: 0 };
    open.add(conn);
    const frontend = frontendParser(conn, () => counts);
    const backend = backendParser(conn, () => counts);
    client.on('data', (chunk) => {
      frontend(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      backend(chunk);
      client.write(chunk);
    });
    const finish = () => {
      if (!open.delete(conn)) return;
      client.destroy();
      upstream.destroy();
      if (open.size === 0) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
      }
    };
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', finish);
    upstream.on('close', finish);
    client.on('error', finish);
    upstream.on('error', finish);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    reset() {
      counts = emptyCounts();
    },
    snapshot() {
      return structuredClone(counts);
    },
    /** Resolves once every proxied connection has closed (or after `ms`). */
    idle(ms = 3000) {
      if (open.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    close() {
      for (const conn of open) {
        conn.client.destroy();
        conn.upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Frontend stream: untyped start-up packets first, then typed messages. */
function frontendParser(conn, counts) {
  let buffer = Buffer.alloc(0);
  let startup = true;
  return (chunk) => {
    if (conn.encrypted) return;
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (startup) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.pendingSingleByte++;
        } else if (code !== CANCEL_REQUEST) {
          counts().connections++;
          startup = false;
        }
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) return;
      const type = String.fromCharCode(buffer[0]);
      buffer = buffer.subarray(1 + length);
      const c = counts();
      c.frontend[type] = (c.frontend[type] ?? 0) + 1;
      if (type === 'Q' || type === 'S') c.roundTrips++;
    }
  };
}

/** Backend stream: a one-byte answer to each SSL/GSSENC request, then typed messages. */
function backendParser(conn, counts) {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    if (conn.encrypted) return;
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (conn.pendingSingleByte > 0) {
        if (buffer.length < 1) return;
        const answer = String.fromCharCode(buffer[0]);
        buffer = buffer.subarray(1);
        conn.pendingSingleByte--;
        if (answer === 'S' || answer === 'G') {
          // Encrypted from here on: nothing more can be counted on this connection.
          conn.encrypted = true;
          counts().encrypted++;
          return;
        }
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) return;
      const type = String.fromCharCode(buffer[0]);
      buffer = buffer.subarray(1 + length);
      if (type === 'C') counts().statements++;
      else if (type === 'E') counts().errors++;
    }
  };
}
