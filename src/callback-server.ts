/**
 * The HTTP side of the flow: `/oauth/callback` (where Atlassian redirects the
 * browser) and `/health`. Bound to 127.0.0.1 only. No request, however
 * malformed, may crash the process: every handler is wrapped and protocol
 * errors are answered on the socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOKEN_EXCHANGE_FAILED_PREFIX, type StoreKind, type TokenRelayEndpoint } from './session-store.ts';
import { OAuthError, OAuthStateError } from './oauth-errors.ts';
import type { OAuthManager } from './oauth-manager.ts';
import { createLogger, redact, shortId, type Logger } from './log.ts';
import { echo, escapeHtml, renderPage, type CallbackOutcome } from './callback-pages.ts';

export const CALLBACK_PATH = '/oauth/callback';
export const HEALTH_PATH = '/health';
/** Request targets longer than this get 414. */
export const MAX_URL_BYTES = 16 * 1024;
/** Node's parser limit, raised so that URLs between 16 and 64 KiB reach our 414 instead of a bare 431. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Parameters that must appear at most once; a duplicate is ambiguous, so refused. */
const SINGLE_VALUED = ['code', 'state', 'error', 'error_description', 'error_uri'] as const;

export interface CallbackServerOptions {
  oauth: Pick<OAuthManager, 'handleCallback'>;
  storeKind: StoreKind;
  /** Served under its path prefix when the store keeps tokens in this process (sealed-state). */
  tokenRelay?: TokenRelayEndpoint;
  logger?: Logger;
}

export interface CallbackServer {
  readonly server: http.Server;
  /** Listens on 127.0.0.1:port (0 = ephemeral); resolves with the bound base URL. */
  listen(port: number): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

interface PageResponse {
  status: number;
  outcome: CallbackOutcome;
  html: string;
  headers?: Record<string, string>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function page(status: number, outcome: CallbackOutcome, title: string, body: string[], headers?: Record<string, string>): PageResponse {
  return { status, outcome, html: renderPage(outcome, title, body), ...(headers ? { headers } : {}) };
}

function splitTarget(target: string): { pathname: string; query: URLSearchParams } {
  let raw = target;
  if (!raw.startsWith('/')) {
    // absolute-form (`GET http://host/path`): keep only path and query
    try {
      const u = new URL(raw);
      raw = `${u.pathname}${u.search}`;
    } catch {
      return { pathname: '', query: new URLSearchParams() };
    }
  }
  const q = raw.indexOf('?');
  const pathname = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? '' : raw.slice(q + 1);
  return { pathname, query: new URLSearchParams(search) };
}

export function createCallbackServer(options: CallbackServerOptions): CallbackServer {
  const log = options.logger ?? createLogger('callback');

  async function handleCallback(query: URLSearchParams): Promise<PageResponse> {
    for (const name of SINGLE_VALUED) {
      const values = query.getAll(name);
      if (values.length > 1) {
        return page(400, 'duplicate-parameter', 'Authorization failed', [
          `<p>Duplicate parameter: ${escapeHtml(name)} (sent ${values.length} times)</p>`,
          '<ul>',
          ...values.map((v) => `<li><code>${echo(v)}</code></li>`),
          '</ul>',
          '<p>Please restart the authentication flow.</p>',
        ]);
      }
    }

    const error = query.get('error');
    if (error !== null) {
      const description = query.get('error_description');
      return page(400, 'provider-error', 'Authorization failed', [
        `<p>Atlassian returned an error: <code data-field="error">${echo(error)}</code></p>`,
        description !== null ? `<p data-field="error_description">${echo(description)}</p>` : '',
        '<p>Please restart the authentication flow.</p>',
      ]);
    }

    const code = query.get('code') ?? '';
    const state = query.get('state') ?? '';
    const missing = [code === '' ? 'code' : undefined, state === '' ? 'state' : undefined].filter(
      (m): m is string => m !== undefined,
    );
    if (missing.length > 0) {
      return page(400, 'missing-parameter', 'Authorization failed', [
        ...missing.map((m) => `<p>Missing required parameter: ${escapeHtml(m)}</p>`),
        '<p>Please restart the authentication flow.</p>',
      ]);
    }

    try {
      const result = await options.oauth.handleCallback({ code, state });
      return page(200, 'success', 'Authorization complete', [
        '<p>Authorization complete, you can close this window.</p>',
        `<p>Signed in as <code>${echo(result.userEmail)}</code>.</p>`,
      ]);
    } catch (err) {
      if (err instanceof OAuthStateError) {
        return page(400, 'invalid-state', 'Authorization failed', [
          `<p data-field="message">${escapeHtml(TOKEN_EXCHANGE_FAILED_PREFIX + err.message)}</p>`,
          `<p>State received: <code data-field="state">${echo(state)}</code></p>`,
        ]);
      }
      if (err instanceof OAuthError) {
        log.warn(`Token exchange failed for state ${shortId(state)}: ${err.code}`, { message: err.message });
        return page(502, 'token-exchange-failed', 'Authorization failed', [
          `<p data-field="message">${echo(redact(TOKEN_EXCHANGE_FAILED_PREFIX + err.message))}</p>`,
          `<p>Error code: <code data-field="code">${escapeHtml(err.code)}</code></p>`,
          '<p>Please restart the authentication flow.</p>',
        ]);
      }
      throw err;
    }
  }

  async function route(req: http.IncomingMessage): Promise<PageResponse | { status: number; json: unknown }> {
    const target = req.url ?? '/';
    if (Buffer.byteLength(target) > MAX_URL_BYTES) {
      return page(414, 'uri-too-long', 'URI too long', [`<p>Request URLs are limited to ${MAX_URL_BYTES} bytes.</p>`]);
    }
    const { pathname, query } = splitTarget(target);
    const method = req.method ?? 'GET';
    if (pathname !== HEALTH_PATH && pathname !== CALLBACK_PATH) {
      return page(404, 'not-found', 'Not found', ['<p>Nothing here.</p>']);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return page(405, 'method-not-allowed', 'Method not allowed', [`<p>Method ${echo(method)} is not allowed here.</p>`], {
        allow: 'GET, HEAD',
      });
    }
    if (pathname === HEALTH_PATH) return { status: 200, json: { ok: true, store: options.storeKind, pid: process.pid } };
    return handleCallback(query);
  }

  function send(res: http.ServerResponse, response: PageResponse | { status: number; json: unknown }): void {
    if ('json' in response) {
      res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(response.json));
      return;
    }
    res.writeHead(response.status, {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'x-callback-outcome': response.outcome,
      ...(response.headers ?? {}),
    });
    res.end(response.html);
  }

  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    const started = Date.now();
    // The query holds the code and the state: log the path only.
    const path = (req.url ?? '').split('?')[0]?.slice(0, 200) ?? '';
    const relay = options.tokenRelay;
    if (relay && (path === relay.pathPrefix || path.startsWith(`${relay.pathPrefix}/`))) {
      // Its own authentication and answers; the path's user part and the credential stay out of the log.
      void relay.handle(req, res).then(() => {
        log.info(`${req.method ?? '?'} ${relay.pathPrefix}/… -> ${res.statusCode} token-relay (${Date.now() - started} ms)`);
      }, () => res.destroy());
      return;
    }
    route(req)
      .then((response) => {
        if (!res.headersSent) send(res, response);
        const outcome = 'outcome' in response ? response.outcome : 'health';
        log.info(`${req.method ?? '?'} ${path} -> ${response.status} ${outcome} (${Date.now() - started} ms)`);
      })
      .catch((error: unknown) => {
        log.error(`${req.method ?? '?'} ${path} -> 500: ${error instanceof Error ? error.message : String(error)}`);
        try {
          if (!res.headersSent) {
            send(res, page(500, 'internal-error', 'Internal error', ['<p>The callback failed unexpectedly. Please restart the authentication flow.</p>']));
          } else {
            res.destroy();
          }
        } catch {
          res.destroy();
        }
      });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    log.warn(`Malformed request rejected: ${error.code ?? error.message}`);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  return {
    server,
    listen(port: number) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen({ port, host: '127.0.0.1' }, () => {
          server.off('error', onError);
          server.on('error', (error) => log.error(`Server error: ${error.message}`));
          const address = server.address() as AddressInfo;
          resolve({ url: `http://127.0.0.1:${address.port}`, port: address.port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
