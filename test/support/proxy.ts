/**
 * A forward HTTP proxy for tests: CONNECT tunnels and absolute-URI requests,
 * for one host only (github.test), which it alone resolves, to a local port.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

/** A host name no resolver knows: a request for it that arrives came through the proxy. */
export const HOST = 'github.test';

export interface Proxy {
  readonly url: string;
  /** What it was asked for: `CONNECT github.test:1234`, or `GET http://github.test:1234/…`. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A forward proxy: CONNECT tunnels and absolute-URI requests, for github.test only, which it maps to the fake API. */
export async function startProxy(apiPort: number): Promise<Proxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    if (target.hostname !== HOST) return res.writeHead(502).end();
    const upstream = httpRequest(
      { host: '127.0.0.1', port: apiPort, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== HOST || Number(port) !== apiPort) return socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = connect(apiPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
