/**
 * MCP authorization as an OAuth proxy to Atlassian, for the SDK's
 * mcpAuthRouter: the MCP client's /authorize becomes a pending authorization
 * and a redirect to Atlassian with this server's own state and PKCE; the
 * provider callback (provider-callback.ts) turns Atlassian's code into this
 * server's code; /token turns that code into this server's access token,
 * mapped to Atlassian's. Each hop reads what the previous hop wrote through
 * the remote state, so a replica that does not share the store loses it.
 *
 * The SDK's handlers validate the request first (registered client,
 * registered redirect URI, S256 challenge; the verifier against
 * challengeForAuthorizationCode at /token).
 */
import type { Response } from 'express';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  InvalidGrantError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { generatePkcePair, type OAuthManager } from '../oauth-manager.ts';
import { shortId, type Logger } from '../log.ts';
import type { StoredTokens } from '../session-store.ts';
import { registeredClients } from './registered-clients.ts';
import { REMOTE_LIFETIMES_MS, type RemoteState } from './remote-state.ts';
import { sameResource, type RemoteUrls } from './remote-urls.ts';

export interface ProxyProviderOptions {
  state: RemoteState;
  /** Atlassian's side: its authorize URL, its code exchange and its refresh. */
  upstream: Pick<OAuthManager, 'authorizeUrl' | 'exchangeCode' | 'refreshGrant'>;
  urls: RemoteUrls;
  log: Logger;
}

/** What the bearer middleware hands the MCP endpoint in AuthInfo.extra. */
export interface UpstreamAuthExtra extends Record<string, unknown> {
  upstream: StoredTokens;
}

export class AtlassianProxyProvider implements OAuthServerProvider {
  readonly clientsStore: OAuthRegisteredClientsStore;
  private readonly state: RemoteState;
  private readonly upstream: ProxyProviderOptions['upstream'];
  private readonly urls: RemoteUrls;
  private readonly log: Logger;

  constructor(options: ProxyProviderOptions) {
    this.state = options.state;
    this.upstream = options.upstream;
    this.urls = options.urls;
    this.log = options.log;
    this.clientsStore = registeredClients(options.state, options.log.child('clients'));
  }

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: Response): Promise<void> {
    if (params.resource && !sameResource(params.resource.href, this.urls.resource)) {
      throw new InvalidTargetError(`This server is the resource ${this.urls.resource}, not ${params.resource.href}`);
    }
    const { codeVerifier, codeChallenge } = generatePkcePair();
    const now = Date.now();
    const upstreamState = await this.state.create('pendingAuthorizations', {
      clientId: client.client_id,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      ...(params.state !== undefined ? { clientState: params.state } : {}),
      // `scope=` (empty) splits into one empty scope: none was asked for.
      scopes: (params.scopes ?? []).filter((scope) => scope !== ''),
      ...(params.resource ? { resource: params.resource.href } : {}),
      upstreamCodeVerifier: codeVerifier,
      createdAt: now,
      expiresAt: now + REMOTE_LIFETIMES_MS.pendingAuthorizations,
    });
    this.log.info(`🔐 Authorization pending: client ${shortId(client.client_id)}, state ${shortId(upstreamState)} (store ${this.state.store.kind})`);
    res.redirect(302, this.upstream.authorizeUrl({ state: upstreamState, codeChallenge, redirectUri: this.urls.providerCallback }));
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, authorizationCode: string): Promise<string> {
    const grant = await this.state.find('authorizationCodes', authorizationCode);
    if (!grant || grant.clientId !== client.client_id) throw this.unknownCode(authorizationCode);
    return grant.codeChallenge;
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    authorizationCode: string,
    _codeVerifier?: string,
    redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    // Taken before any check: a code presented wrongly is spent, as RFC 6749 §4.1.2 wants of a misused code.
    const grant = await this.state.consume('authorizationCodes', authorizationCode);
    if (!grant || grant.clientId !== client.client_id) throw this.unknownCode(authorizationCode);
    if (redirectUri !== undefined && redirectUri !== grant.redirectUri) {
      throw new InvalidGrantError('redirect_uri differs from the one of the authorization request');
    }
    if (resource && !sameResource(resource.href, grant.resource ?? this.urls.resource)) {
      throw new InvalidTargetError(`The code was issued for ${grant.resource ?? this.urls.resource}, not ${resource.href}`);
    }
    this.log.info(`✅ Code redeemed by client ${shortId(grant.clientId)} (store ${this.state.store.kind})`);
    return this.issueTokens(grant);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    // Taken: a refresh token is used once, and the answer carries its successor.
    const grant = await this.state.consume('refreshTokens', refreshToken);
    if (!grant || grant.clientId !== client.client_id) {
      this.log.warn(`🔍 Refresh token ${shortId(refreshToken)}: NOT FOUND (store ${this.state.store.kind})`);
      throw new InvalidGrantError(`Unknown, used or expired refresh token (store ${this.state.store.kind}, pid ${process.pid})`);
    }
    if (scopes && scopes.some((scope) => scope !== '' && !grant.scopes.includes(scope))) {
      throw new InvalidScopeError('A refresh cannot widen the scopes of the authorization');
    }
    if (resource && !sameResource(resource.href, grant.resource ?? this.urls.resource)) {
      throw new InvalidTargetError(`The refresh token was issued for ${grant.resource ?? this.urls.resource}, not ${resource.href}`);
    }
    let upstream = grant.upstream;
    // Atlassian's tokens are renewed with each refresh (they rotate too), so the new access token can live its full hour.
    if (upstream.refreshToken) {
      upstream = await this.upstream.refreshGrant(upstream.refreshToken).catch((error: unknown) => {
        this.log.warn(`Atlassian refresh failed for client ${shortId(grant.clientId)}: ${error instanceof Error ? error.message : String(error)}`);
        throw new InvalidGrantError('The Atlassian authorization behind this refresh token is no longer valid: authorize again');
      });
    }
    this.log.info(`🔄 Tokens refreshed for client ${shortId(grant.clientId)} (store ${this.state.store.kind})`);
    return this.issueTokens({ ...grant, upstream });
  }

  /** A new access token, and a refresh token when Atlassian gave one to renew with, both mapped to Atlassian's tokens. */
  private async issueTokens(grant: { clientId: string; scopes: string[]; resource?: string; upstream: StoredTokens }): Promise<OAuthTokens> {
    const now = Date.now();
    const common = { clientId: grant.clientId, scopes: grant.scopes, ...(grant.resource ? { resource: grant.resource } : {}), upstream: grant.upstream };
    const expiresAt = Math.min(now + REMOTE_LIFETIMES_MS.accessTokens, grant.upstream.expiresAt);
    const accessToken = await this.state.create('accessTokens', { ...common, expiresAt });
    const refreshToken = grant.upstream.refreshToken
      ? await this.state.create('refreshTokens', { ...common, expiresAt: now + REMOTE_LIFETIMES_MS.refreshTokens })
      : undefined;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.floor((expiresAt - now) / 1000)),
      ...(grant.scopes.length > 0 ? { scope: grant.scopes.join(' ') } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const grant = await this.state.find('accessTokens', token);
    if (!grant) {
      this.log.warn(`🔍 Access token ${shortId(token)}: NOT FOUND (store ${this.state.store.kind})`);
      throw new InvalidTokenError(`Unknown or expired access token (store ${this.state.store.kind}, pid ${process.pid})`);
    }
    const extra: UpstreamAuthExtra = { upstream: grant.upstream };
    return {
      token,
      clientId: grant.clientId,
      scopes: grant.scopes,
      expiresAt: Math.floor(grant.expiresAt / 1000),
      ...(grant.resource ? { resource: new URL(grant.resource) } : {}),
      extra,
    };
  }

  private unknownCode(code: string): InvalidGrantError {
    this.log.warn(`🔍 Authorization code ${shortId(code)}: NOT FOUND (store ${this.state.store.kind})`);
    return new InvalidGrantError(`Unknown, used or expired authorization code (store ${this.state.store.kind}, pid ${process.pid})`);
  }
}
