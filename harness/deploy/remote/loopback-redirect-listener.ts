/**
 * The harness's own redirect URI, as a native MCP client has one (RFC 8252
 * loopback redirect): an HTTP listener on 127.0.0.1 at a free port that the
 * browser lands on at the end of an authorization. It keeps what arrived
 * (code, state, or the error the server sent back) and answers the browser
 * as a client would: 200 when a code came with the expected state, 400 with
 * the reason otherwise, so the hop's status says whether the authorization
 * came back usable.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const REDIRECT_PATH = '/callback';

export interface AuthorizationResponse {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
}

export class LoopbackRedirectListener {
  private received: AuthorizationResponse | undefined;
  private expectedState: string | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly redirectUri: URL,
  ) {}

  /** On a free port, or on `port` (the one a reused registration names); a taken port is a clear error. */
  static async start(port = 0): Promise<LoopbackRedirectListener> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`redirect URI: port ${port} on 127.0.0.1 is taken (is another flow reusing the same registration at once?)`, { cause: error }) : error),
      );
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    const listener = new LoopbackRedirectListener(server, new URL(`http://127.0.0.1:${bound}${REDIRECT_PATH}`));
    server.on('request', (request, response) => listener.answer(request, response));
    return listener;
  }

  /** The state this client put in its authorization URL: an answer carrying another one is refused, as a client must. */
  expectState(state: string | undefined): void {
    this.expectedState = state;
  }

  /** What the browser brought back, once it has come. */
  get response(): AuthorizationResponse | undefined {
    return this.received;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.redirectUri);
    if (request.method !== 'GET' || url.pathname !== REDIRECT_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not the redirect URI: ${request.method} ${url.pathname}`);
      return;
    }
    const params = url.searchParams;
    const received: AuthorizationResponse = {};
    for (const [field, name] of [['code', 'code'], ['state', 'state'], ['error', 'error'], ['errorDescription', 'error_description']] as const) {
      const value = params.get(name);
      if (value !== null) received[field] = value;
    }
    this.received = received;
    const problem = this.problem(received);
    response.writeHead(problem ? 400 : 200, { 'content-type': 'text/plain; charset=utf-8' }).end(problem ?? 'Authorized: you may close this window.');
  }

  private problem(received: AuthorizationResponse): string | undefined {
    if (received.error !== undefined) return `authorization failed: ${received.error}${received.errorDescription ? `: ${received.errorDescription}` : ''}`;
    if (received.code === undefined) return 'authorization failed: no code in the redirect';
    if (this.expectedState !== undefined && received.state !== this.expectedState) return 'authorization failed: the state that came back is not the one this client sent';
    return undefined;
  }
}
