/**
 * The sealed-state store's token relay. A sealed state needs no shared store,
 * but the tokens the callback obtains still have to reach the tool process,
 * and in the `isolated` topology the two share no disk. So the callback
 * process keeps tokens in its memory and serves them, and the tool process
 * asks for them over HTTP at the callback's origin (OAUTH_REDIRECT_URI's):
 *
 *   GET    /internal/tokens/<userEmail>  200 StoredTokens | 404
 *   POST   /internal/tokens/<userEmail>  204 (a refresh in the tool process writes back)
 *   DELETE /internal/tokens/<userEmail>  200 StoredTokens (the removed record) | 404
 *   GET    /internal/tokens              200 {"count": n}
 *
 * Every request carries `Authorization: Bearer <credential>`, the credential
 * being an HKDF subkey of SESSION_SEAL_KEY (sealed-session.ts), so only a
 * process holding the seal key can read tokens. It is compared in constant
 * time (SHA-256 of both sides, timingSafeEqual); anything else gets 401
 * before the path is even looked at. The credential and the tokens are
 * never logged. The relay is plain HTTP on the callback's address: on
 * loopback here; behind TLS wherever the callback is reached over a network.
 *
 * What the relay cannot do: tokens live only as long as the callback process
 * (a restart of it loses them, and the user signs in again).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { StoredTokens, TokenRelayEndpoint } from '../session-store.ts';
import type { Logger } from '../log.ts';
import { deriveKey } from './sealed-session.ts';

export const TOKEN_RELAY_PATH = '/internal/tokens';
/** A StoredTokens record is a few hundred bytes; anything much larger is not one. */
const MAX_BODY_BYTES = 16 * 1024;
export const DEFAULT_TOKEN_RELAY_TIMEOUT_MS = 5000;

const storedTokensSchema = z
  .object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    expiresAt: z.number().finite(),
    scope: z.string(),
    obtainedAt: z.number().finite(),
  })
  .strict();

/** The bearer credential both sides derive from SESSION_SEAL_KEY. */
export function tokenRelayCredential(sealKey: Buffer): string {
  return deriveKey(sealKey, 'token-relay').toString('base64url');
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Where the relay keeps the tokens: the sealed-state store's in-memory map. */
export interface TokenRelayBackend {
  get(userEmail: string): StoredTokens | undefined;
  put(userEmail: string, tokens: StoredTokens): void;
  take(userEmail: string): StoredTokens | undefined;
  count(): number;
}

export function createTokenRelayEndpoint(options: { credential: string; backend: TokenRelayBackend; log: Logger }): TokenRelayEndpoint {
  const expected = digest(options.credential);
  const { backend, log } = options;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    // Hash both sides: timingSafeEqual needs equal lengths, and the length must not leak either.
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    });
    res.end(text);
  };

  const readBody = (req: IncomingMessage): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Too large: keep draining (so the client can read the 413), up to a point.
        if (size > 64 * MAX_BODY_BYTES) req.destroy();
        else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  return {
    pathPrefix: TOKEN_RELAY_PATH,
    async handle(req, res) {
      try {
        if (!authorized(req)) {
          send(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="token-relay"' });
          return;
        }
        const pathname = (req.url ?? '').split('?')[0] ?? '';
        const method = req.method ?? 'GET';
        if (pathname === TOKEN_RELAY_PATH) {
          if (method !== 'GET') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
          return send(res, 200, { count: backend.count() });
        }
        const rest = pathname.slice(TOKEN_RELAY_PATH.length + 1);
        let userEmail: string;
        try {
          userEmail = decodeURIComponent(rest);
        } catch {
          return send(res, 400, { error: 'bad_user' });
        }
        if (!pathname.startsWith(`${TOKEN_RELAY_PATH}/`) || userEmail === '' || userEmail.includes('/')) {
          return send(res, 404, { error: 'not_found' });
        }
        if (method === 'GET') {
          const tokens = backend.get(userEmail);
          return tokens ? send(res, 200, tokens) : send(res, 404, { error: 'no_tokens' });
        }
        if (method === 'DELETE') {
          const tokens = backend.take(userEmail);
          return tokens ? send(res, 200, tokens) : send(res, 404, { error: 'no_tokens' });
        }
        if (method === 'POST') {
          const text = await readBody(req);
          if (text === undefined) return send(res, 413, { error: 'too_large' });
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return send(res, 400, { error: 'not_json' });
          }
          const tokens = storedTokensSchema.safeParse(parsed);
          if (!tokens.success) return send(res, 400, { error: 'not_stored_tokens' });
          backend.put(userEmail, tokens.data);
          return send(res, 204);
        }
        return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, POST, DELETE' });
      } catch (error) {
        log.error(`token relay failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) send(res, 500, { error: 'internal' });
        else res.destroy();
      }
    },
  };
}

export class TokenRelayError extends Error {
  readonly code = 'token_relay_failed';
  constructor(message: string) {
    super(message);
    this.name = 'TokenRelayError';
  }
}

/** The tool process's side: the tokens namespace, read and written at the callback's origin. */
export class TokenRelayClient {
  private readonly base: string;
  private readonly credential: string;
  private readonly timeoutMs: number;

  constructor(options: { origin: string; credential: string; timeoutMs?: number }) {
    this.base = `${new URL(options.origin).origin}${TOKEN_RELAY_PATH}`;
    this.credential = options.credential;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TOKEN_RELAY_TIMEOUT_MS;
  }

  private async call(method: string, userEmail: string | undefined, body?: StoredTokens): Promise<{ status: number; json: unknown }> {
    const url = userEmail === undefined ? this.base : `${this.base}/${encodeURIComponent(userEmail)}`;
    const what = `token relay ${method} ${url}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.credential}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new TokenRelayError(`${what}: no answer within ${this.timeoutMs} ms`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TokenRelayError(`${what}: callback process unreachable (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
    if (response.status === 401) {
      throw new TokenRelayError(`${what}: 401, the callback process refused this credential (do both processes have the same SESSION_SEAL_KEY?)`);
    }
    if (response.status >= 400 && response.status !== 404) throw new TokenRelayError(`${what}: HTTP ${response.status}`);
    let json: unknown;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        throw new TokenRelayError(`${what}: HTTP ${response.status} with a body that is not JSON`);
      }
    }
    return { status: response.status, json };
  }

  private tokens(what: string, json: unknown): StoredTokens {
    const parsed = storedTokensSchema.safeParse(json);
    if (!parsed.success) throw new TokenRelayError(`token relay ${what}: the answer is not a StoredTokens record`);
    return parsed.data;
  }

  async get(userEmail: string): Promise<StoredTokens | undefined> {
    const { status, json } = await this.call('GET', userEmail);
    return status === 404 ? undefined : this.tokens('GET', json);
  }

  async put(userEmail: string, tokens: StoredTokens): Promise<void> {
    const { status } = await this.call('POST', userEmail, tokens);
    if (status !== 204) throw new TokenRelayError(`token relay POST: expected 204, got ${status}`);
  }

  async take(userEmail: string): Promise<StoredTokens | undefined> {
    const { status, json } = await this.call('DELETE', userEmail);
    return status === 404 ? undefined : this.tokens('DELETE', json);
  }

  async count(): Promise<number> {
    const { json } = await this.call('GET', undefined);
    const count = (json as { count?: unknown } | undefined)?.count;
    if (typeof count !== 'number') throw new TokenRelayError('token relay GET: the answer has no count');
    return count;
  }
}
