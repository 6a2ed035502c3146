import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 just now: the kernel's pick for port 0,
 * released at once. Another process may take it before the server binds
 * it; the caller retries on "could not bind".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
