/**
 * The resource mode's token check: RFC 7662 introspection at the trusted
 * authorization server, whose endpoint is read once from its RFC 8414
 * metadata (and read again after a failure, so a replica that started
 * before its authorization server recovers). A token counts only when the
 * server says it is active and it was issued for this server's resource
 * (its `aud`): a token another resource was given must not open a session
 * here (MCP authorization: servers validate the audience of every token).
 */
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { sameResource } from './remote-urls.ts';

export interface IntrospectionVerifierOptions {
  /** The authorization server's issuer. */
  issuer: string;
  /** This server's resource (PUBLIC_URL/mcp): the audience a token must carry. */
  resource: string;
  /** The introspection endpoint when known; otherwise read from the issuer's metadata. */
  introspectionEndpoint?: string;
  timeoutMs: number;
}

interface Introspection {
  active?: unknown;
  client_id?: unknown;
  scope?: unknown;
  exp?: unknown;
  aud?: unknown;
}

/** RFC 8414 §3: the metadata of an issuer with a path lives at /.well-known/oauth-authorization-server/<path>. */
export function metadataUrlOf(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return new URL(`/.well-known/oauth-authorization-server${path}`, url.origin).href;
}

export class IntrospectionVerifier implements OAuthTokenVerifier {
  private endpoint: Promise<string> | undefined;

  constructor(private readonly options: IntrospectionVerifierOptions) {
    if (options.introspectionEndpoint) this.endpoint = Promise.resolve(options.introspectionEndpoint);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const endpoint = await this.introspectionEndpoint();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token }).toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    }).catch((error: Error) => {
      throw new ServerError(`The authorization server could not be asked about the token: ${error.message}`);
    });
    // An unknown token: some servers answer 200 with active false, others (the MCP SDK's example) 401.
    const body = (await response.json().catch(() => ({}))) as Introspection;
    if (response.status >= 500) throw new ServerError(`The authorization server answered ${response.status} to introspection`);
    if (!response.ok || body.active !== true) throw new InvalidTokenError('The access token is not active');
    const audiences = (Array.isArray(body.aud) ? body.aud : [body.aud]).filter((aud): aud is string => typeof aud === 'string');
    if (!audiences.some((aud) => sameResource(aud, this.options.resource))) throw new InvalidTokenError('The access token was not issued for this server');
    return {
      token,
      clientId: typeof body.client_id === 'string' ? body.client_id : '',
      scopes: typeof body.scope === 'string' && body.scope !== '' ? body.scope.split(' ') : [],
      ...(typeof body.exp === 'number' ? { expiresAt: body.exp } : {}),
      resource: new URL(this.options.resource),
    };
  }

  private introspectionEndpoint(): Promise<string> {
    this.endpoint ??= this.discover().catch((error: unknown) => {
      this.endpoint = undefined;
      throw error;
    });
    return this.endpoint;
  }

  private async discover(): Promise<string> {
    const url = metadataUrlOf(this.options.issuer);
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) }).catch((error: Error) => {
      throw new ServerError(`The authorization server's metadata could not be read at ${url}: ${error.message}`);
    });
    const metadata = (await response.json().catch(() => ({}))) as { introspection_endpoint?: unknown };
    if (!response.ok || typeof metadata.introspection_endpoint !== 'string') {
      throw new ServerError(`The authorization server's metadata at ${url} names no introspection_endpoint (HTTP ${response.status})`);
    }
    return metadata.introspection_endpoint;
  }
}
