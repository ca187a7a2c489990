/**
 * The MCP client's loopback redirect listener (RFC 8252 §7.3): one HTTP
 * server on 127.0.0.1, an ephemeral port, path /callback. It keeps the
 * query of the first redirect that reaches it and answers with a short page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RedirectListener {
  /** http://127.0.0.1:PORT/callback */
  readonly url: string;
  /** The query of the first request to /callback. */
  readonly received: Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startRedirectListener(): Promise<RedirectListener> {
  let deliver: (query: URLSearchParams) => void = () => undefined;
  const received = new Promise<URLSearchParams>((resolve) => {
    deliver = resolve;
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    deliver(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p>Authorization received. You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
