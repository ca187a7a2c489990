/**
 * Browser OAuth 2.0 (3LO) with PKCE S256 against Atlassian. Sees only the
 * SessionStore interface: start_oauth writes the session in one process, the
 * callback may take it in another, which is the whole point of this project.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import { createLogger, shortId, type Logger } from './log.ts';
import {
  OAuthError,
  OAuthProviderError,
  OAuthStateError,
  NotAuthenticatedError,
  TokenEndpointMalformedResponseError,
  TokenEndpointServerError,
  TokenEndpointTimeoutError,
  TokenEndpointUnreachableError,
  isTimeout,
} from './oauth-errors.ts';
import { SESSION_TTL_MS, type OAuthSession, type SessionStore, type StoredTokens, type StoreKind } from './session-store.ts';
import { GITHUB_SCOPES, GITHUB_TOKEN_LIFETIME_S, githubAuthorizeUrl, githubTokenRequest } from './providers/github-sign-in.ts';
import { isOpenIdProvider, type OAuthProvider } from './providers/provider-name.ts';
import { discoverOpenId } from './providers/openid-discovery.ts';
import { openIdAuthorizeUrl, openIdScopes, openIdTokenRequest } from './providers/openid-sign-in.ts';

export const OAUTH_SCOPES = ['read:jira-work', 'read:jira-user', 'write:jira-work', 'offline_access'] as const;
export const OAUTH_AUDIENCE = 'api.atlassian.com';

/** Access tokens without `expires_in` are assumed to live this long (Atlassian's usual hour). */
const DEFAULT_EXPIRES_IN_S = 3600;

export function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** 32 random bytes, base64url: the write-up's state. */
export function generateState(): string {
  return base64url(randomBytes(32));
}

/** RFC 7636: 32 random bytes (43 chars) of verifier, S256 challenge. */
export function generatePkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = base64url(randomBytes(32));
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export function pkceChallenge(codeVerifier: string): string {
  return base64url(createHash('sha256').update(codeVerifier).digest());
}

export type OAuthConfig = Pick<
  Config,
  'clientId' | 'clientSecret' | 'redirectUri' | 'authUrl' | 'userEmail' | 'httpTimeoutMs'
> & {
  /** Who users sign in with; Atlassian when absent. */
  provider?: OAuthProvider;
};

export interface OAuthManagerOptions {
  config: OAuthConfig;
  store: SessionStore;
  logger?: Logger;
}

export interface AuthorizationStart {
  authUrl: string;
  state: string;
}

export interface CallbackResult {
  userEmail: string;
  expiresAt: number;
  scope: string;
}

export interface OAuthStatus {
  authenticated: boolean;
  store: StoreKind;
  activeSessions: number;
  tokenExpiresAt: string | null;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

export class OAuthManager {
  private readonly config: OAuthConfig;
  private redirectUri: string | undefined;
  readonly store: SessionStore;
  private readonly log: Logger;

  constructor(options: OAuthManagerOptions) {
    this.config = options.config;
    this.redirectUri = options.config.redirectUri;
    this.store = options.store;
    this.log = options.logger ?? createLogger('oauth');
  }

  /** Sets the redirect URI once a callback server in this process knows its port. */
  useRedirectUri(uri: string): void {
    this.redirectUri = uri;
  }

  get currentRedirectUri(): string | undefined {
    return this.redirectUri;
  }

  async startAuthorization(): Promise<AuthorizationStart> {
    const redirectUri = this.redirectUri;
    if (!redirectUri) {
      throw new OAuthError('redirect_uri_unset', 'OAUTH_REDIRECT_URI is not set and no callback server is bound in this process');
    }
    const { codeVerifier, codeChallenge } = generatePkcePair();
    const unkeyed = { codeVerifier, redirectUri, timestamp: Date.now(), userEmail: this.config.userEmail };
    // A store that carries the session inside the state (sealed-state) makes
    // the state; every other store keys the session by 32 random bytes.
    const state = this.store.mintState ? await this.store.mintState(unkeyed) : generateState();
    const session: OAuthSession = { state, ...unkeyed };
    await this.store.put('sessions', state, session);

    const authUrl = await this.providerAuthorizeUrl({ state, codeChallenge, redirectUri });
    this.log.info(`🔐 Authorization started: state ${shortId(state)} (store ${this.store.kind})`);
    return { authUrl, state };
  }

  /** The authorize URL of any provider: an OpenID provider's endpoint comes from its discovery document. */
  async providerAuthorizeUrl(flow: { state: string; codeChallenge: string; redirectUri: string }): Promise<string> {
    const provider = this.config.provider;
    if (!isOpenIdProvider(provider)) return this.authorizeUrl(flow);
    return openIdAuthorizeUrl(provider, await discoverOpenId(this.config.authUrl, this.config.httpTimeoutMs), this.config.clientId, flow);
  }

  /** Atlassian's or GitHub's authorize URL for one flow (the remote mode builds its own flows' URLs with it too); an OpenID provider needs providerAuthorizeUrl. */
  authorizeUrl(flow: { state: string; codeChallenge: string; redirectUri: string }): string {
    if (this.config.provider === 'github') return githubAuthorizeUrl(this.config.authUrl, this.config.clientId, flow);
    if (isOpenIdProvider(this.config.provider)) throw new OAuthError('discovery_failed', `the ${this.config.provider} provider's authorize URL needs its discovery document: use providerAuthorizeUrl`);
    const url = new URL(`${this.config.authUrl}/authorize`);
    const params: Record<string, string> = {
      audience: OAUTH_AUDIENCE,
      client_id: this.config.clientId,
      scope: OAUTH_SCOPES.join(' '),
      redirect_uri: flow.redirectUri,
      state: flow.state,
      response_type: 'code',
      prompt: 'consent',
      code_challenge: flow.codeChallenge,
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /**
   * Consumes the state (single use) and exchanges the code. Throws
   * OAuthStateError with the write-up's exact message for an unknown, used or
   * expired state; other OAuthError subclasses for token endpoint failures.
   */
  async handleCallback(params: { code: string; state: string }): Promise<CallbackResult> {
    const session = await this.store.take('sessions', params.state);
    if (!session) {
      this.log.warn(`❌ Unknown OAuth state ${shortId(params.state)} (store ${this.store.kind})`);
      throw new OAuthStateError('unknown');
    }
    // The age check compares the writer's clock (the timestamp) with this
    // process's: a store that expires sessions by one clock of its own has
    // already decided, and a second opinion from another clock would only
    // move the TTL by the skew between them.
    if (!this.store.expiresBySelf) {
      const age = Date.now() - session.timestamp;
      if (age > SESSION_TTL_MS) {
        this.log.warn(`⌛ Expired OAuth state ${shortId(params.state)}: ${Math.round(age / 1000)} s old`);
        throw new OAuthStateError('expired');
      }
    }

    const tokens = await this.exchangeCode({ code: params.code, redirectUri: session.redirectUri, codeVerifier: session.codeVerifier });
    await this.store.put('tokens', session.userEmail, tokens);
    this.log.info(`✅ Token exchange succeeded for ${session.userEmail} (state ${shortId(params.state)})`);
    return { userEmail: session.userEmail, expiresAt: tokens.expiresAt, scope: tokens.scope };
  }

  /** The authorization_code grant at Atlassian's token endpoint; stores nothing. Throws the OAuthError subclasses of postToken. */
  async exchangeCode(grant: { code: string; redirectUri: string; codeVerifier: string }): Promise<StoredTokens> {
    const response = await this.postToken({
      grant_type: 'authorization_code',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    });
    return this.toStoredTokens(response);
  }

  /** refresh_token grant; stores the rotated pair (Atlassian rotates refresh tokens). */
  async refresh(userEmail: string = this.config.userEmail): Promise<StoredTokens> {
    const current = await this.store.get('tokens', userEmail);
    if (!current) throw new NotAuthenticatedError(userEmail);
    if (!current.refreshToken) throw new NotAuthenticatedError(userEmail, 'the access token expired and no refresh token is stored');
    const tokens = await this.refreshGrant(current.refreshToken);
    await this.store.put('tokens', userEmail, tokens);
    this.log.info(`🔄 Tokens refreshed for ${userEmail}`);
    return tokens;
  }

  /** The refresh_token grant at Atlassian's token endpoint; stores nothing. Keeps the old refresh token when none comes back. */
  async refreshGrant(refreshToken: string): Promise<StoredTokens> {
    const response = await this.postToken({
      grant_type: 'refresh_token',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      refresh_token: refreshToken,
    });
    return this.toStoredTokens(response, refreshToken);
  }

  async getTokens(userEmail: string = this.config.userEmail): Promise<StoredTokens | undefined> {
    return this.store.get('tokens', userEmail);
  }

  async status(userEmail: string = this.config.userEmail): Promise<OAuthStatus> {
    const tokens = await this.store.get('tokens', userEmail);
    const authenticated = tokens !== undefined && (tokens.expiresAt > Date.now() || tokens.refreshToken !== undefined);
    return {
      authenticated,
      store: this.store.kind,
      activeSessions: await this.store.count('sessions'),
      tokenExpiresAt: tokens ? new Date(tokens.expiresAt).toISOString() : null,
    };
  }

  private toStoredTokens(response: TokenResponse, previousRefreshToken?: string): StoredTokens {
    const now = Date.now();
    const refreshToken = response.refresh_token ?? previousRefreshToken;
    const github = this.config.provider === 'github';
    return {
      accessToken: response.access_token,
      ...(refreshToken !== undefined ? { refreshToken } : {}),
      expiresAt: now + (response.expires_in ?? (github ? GITHUB_TOKEN_LIFETIME_S : DEFAULT_EXPIRES_IN_S)) * 1000,
      scope: response.scope ?? (isOpenIdProvider(this.config.provider) ? openIdScopes(this.config.provider) : (github ? GITHUB_SCOPES : OAUTH_SCOPES).join(' ')),
      obtainedAt: now,
    };
  }

  private async postToken(body: Record<string, string>): Promise<TokenResponse> {
    const provider = this.config.provider;
    const request = isOpenIdProvider(provider)
      ? openIdTokenRequest(await discoverOpenId(this.config.authUrl, this.config.httpTimeoutMs), body)
      : provider === 'github'
        ? githubTokenRequest(this.config.authUrl, body)
        : { url: `${this.config.authUrl}/oauth/token`, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) };
    const url = request.url;
    const timeoutMs = this.config.httpTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal });
      text = await response.text();
    } catch (error) {
      if (isTimeout(error) || signal.aborted) throw new TokenEndpointTimeoutError(timeoutMs, url);
      throw new TokenEndpointUnreachableError(url, error);
    }

    if (response.status >= 500) throw new TokenEndpointServerError(response.status, url);

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const type = response.headers.get('content-type') ?? 'no content-type';
      throw new TokenEndpointMalformedResponseError(response.status, `body is not JSON (${type}, ${text.length} bytes)`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new TokenEndpointMalformedResponseError(response.status, 'body is not a JSON object');
    }
    const obj = json as Record<string, unknown>;

    if (!response.ok || typeof obj.error === 'string') {
      if (typeof obj.error === 'string') {
        const description = typeof obj.error_description === 'string' ? obj.error_description : undefined;
        this.log.warn(`Token endpoint error ${obj.error} (HTTP ${response.status})`);
        throw new OAuthProviderError(obj.error, description, response.status);
      }
      throw new TokenEndpointMalformedResponseError(response.status, 'error status without an OAuth "error" field');
    }
    if (typeof obj.access_token !== 'string' || obj.access_token === '') {
      throw new TokenEndpointMalformedResponseError(response.status, 'missing "access_token"');
    }
    if (obj.expires_in !== undefined && typeof obj.expires_in !== 'number') {
      throw new TokenEndpointMalformedResponseError(response.status, '"expires_in" is not a number');
    }
    return {
      access_token: obj.access_token,
      ...(typeof obj.refresh_token === 'string' ? { refresh_token: obj.refresh_token } : {}),
      ...(typeof obj.expires_in === 'number' ? { expires_in: obj.expires_in } : {}),
      ...(typeof obj.scope === 'string' ? { scope: obj.scope } : {}),
    };
  }
}
