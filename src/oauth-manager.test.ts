import nock from 'nock';
import { nockForThisFile } from '../test/setup/nock-for-this-file.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OAuthManager, OAUTH_SCOPES, pkceChallenge, type OAuthConfig } from './oauth-manager.ts';
import {
  OAuthProviderError,
  OAuthStateError,
  NotAuthenticatedError,
  TokenEndpointMalformedResponseError,
  TokenEndpointServerError,
  TokenEndpointTimeoutError,
} from './oauth-errors.ts';
import { MemorySessionStore } from './stores/memory-store.ts';
import { INVALID_STATE_MESSAGE, SESSION_TTL_MS } from './session-store.ts';
import { silentLogger } from './log.ts';

const AUTH = 'https://auth.example.test';
const config: OAuthConfig = {
  clientId: 'client-abc',
  clientSecret: 'secret-xyz-123',
  redirectUri: 'http://127.0.0.1:7777/oauth/callback',
  authUrl: AUTH,
  userEmail: 'dev@acme.test',
  httpTimeoutMs: 2000,
};

function manager(overrides: Partial<OAuthConfig> = {}): OAuthManager {
  return new OAuthManager({ config: { ...config, ...overrides }, store: new MemorySessionStore({ logger: silentLogger }), logger: silentLogger });
}

const tokenBody = { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 3600, scope: OAUTH_SCOPES.join(' '), token_type: 'Bearer' };

nockForThisFile();
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => MemorySessionStore.clearAllForTesting());
afterEach(() => {
  vi.useRealTimers();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every mocked request was made').toEqual([]);
});

describe('startAuthorization', () => {
  it('builds the authorize URL with every parameter', async () => {
    const oauth = manager();
    const { authUrl, state } = await oauth.startAuthorization();
    const url = new URL(authUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${AUTH}/authorize`);
    const session = await oauth.store.get('sessions', state);
    expect(session).toBeDefined();
    expect(Object.fromEntries(url.searchParams)).toEqual({
      audience: 'api.atlassian.com',
      client_id: 'client-abc',
      scope: 'read:jira-work read:jira-user write:jira-work offline_access',
      redirect_uri: config.redirectUri,
      state,
      response_type: 'code',
      prompt: 'consent',
      code_challenge: pkceChallenge(session!.codeVerifier),
      code_challenge_method: 'S256',
    });
    expect(authUrl).not.toContain(config.clientSecret);
    expect(authUrl).not.toContain(session!.codeVerifier);
  });

  it('uses 32 random bytes of base64url for state and verifier', async () => {
    const oauth = manager();
    const a = await oauth.startAuthorization();
    const b = await oauth.startAuthorization();
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).not.toBe(b.state);
    const session = await oauth.store.get('sessions', a.state);
    expect(session!.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({ state: a.state, redirectUri: config.redirectUri, userEmail: 'dev@acme.test' });
  });

  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('refuses to start without a redirect URI', async () => {
    await expect(manager({ redirectUri: undefined }).startAuthorization()).rejects.toMatchObject({ code: 'redirect_uri_unset' });
  });
});

describe('handleCallback', () => {
  it('sends code, verifier, redirect_uri, client_id and client_secret, then stores the tokens', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    const { codeVerifier } = (await oauth.store.get('sessions', state))!;
    let sent: Record<string, string> | undefined;
    nock(AUTH)
      .post('/oauth/token', (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .matchHeader('content-type', /application\/json/)
      .reply(200, tokenBody);

    const result = await oauth.handleCallback({ code: 'the-code', state });
    expect(sent).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-abc',
      client_secret: 'secret-xyz-123',
      code: 'the-code',
      redirect_uri: config.redirectUri,
      code_verifier: codeVerifier,
    });
    expect(result.userEmail).toBe('dev@acme.test');
    expect(await oauth.getTokens()).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', scope: tokenBody.scope });
    expect(await oauth.status()).toMatchObject({ authenticated: true, store: 'memory', activeSessions: 0 });
  });

  it('uses the redirect URI stored with the session, not the current one', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    oauth.useRedirectUri('http://127.0.0.1:9999/oauth/callback');
    nock(AUTH)
      .post('/oauth/token', (body: Record<string, string>) => body.redirect_uri === config.redirectUri)
      .reply(200, tokenBody);
    await oauth.handleCallback({ code: 'c', state });
  });

  it('accepts a state once: the second callback gets the exact invalid-state message', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(200, tokenBody);
    await oauth.handleCallback({ code: 'c', state });
    const second = oauth.handleCallback({ code: 'c', state });
    await expect(second).rejects.toBeInstanceOf(OAuthStateError);
    await expect(second).rejects.toHaveProperty('message', INVALID_STATE_MESSAGE);
    await expect(second).rejects.toMatchObject({ code: 'invalid_state', reason: 'unknown' });
  });

  it('rejects an unknown state without calling the token endpoint', async () => {
    const error = await manager().handleCallback({ code: 'c', state: 'never-issued' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthStateError);
    expect((error as Error).message).toBe(INVALID_STATE_MESSAGE);
  });

  it('rejects a state older than 15 minutes, and consumes it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    vi.setSystemTime(Date.now() + SESSION_TTL_MS + 1);
    await expect(oauth.handleCallback({ code: 'c', state })).rejects.toMatchObject({ code: 'invalid_state', reason: 'expired', message: INVALID_STATE_MESSAGE });
    expect(await oauth.store.count('sessions')).toBe(0);
  });

  it('accepts a state exactly 15 minutes old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    vi.setSystemTime(Date.now() + SESSION_TTL_MS);
    nock(AUTH).post('/oauth/token').reply(200, tokenBody);
    await expect(oauth.handleCallback({ code: 'c', state })).resolves.toMatchObject({ userEmail: 'dev@acme.test' });
  });

  // Regression: the TTL was decided by comparing two processes' clocks (the
  // writer's timestamp with the callback's Date.now()), so no store could pass the clock-skew case.
  // A store that expires sessions by one clock of its own decides alone.
  it("leaves expiry to a store that keeps its own clock: a session stamped 20 minutes ago by another process's clock is served", async () => {
    const memory = new MemorySessionStore({ logger: silentLogger });
    const ownClock = Object.assign(Object.create(memory) as MemorySessionStore, { expiresBySelf: true });
    const oauth = new OAuthManager({ config, store: ownClock, logger: silentLogger });
    const { state } = await oauth.startAuthorization();
    const stored = (await memory.get('sessions', state))!;
    // As written by a process whose clock runs 20 minutes behind this one's.
    await memory.put('sessions', state, { ...stored, timestamp: stored.timestamp - 20 * 60_000 });
    nock(AUTH).post('/oauth/token').reply(200, tokenBody);
    await expect(oauth.handleCallback({ code: 'c', state })).resolves.toMatchObject({ userEmail: 'dev@acme.test' });
  });

  it('still checks the age itself for a store without its own clock', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    const stored = (await oauth.store.get('sessions', state))!;
    await oauth.store.put('sessions', state, { ...stored, timestamp: stored.timestamp - 20 * 60_000 });
    await expect(oauth.handleCallback({ code: 'c', state })).rejects.toMatchObject({ code: 'invalid_state', reason: 'expired' });
  });

  it('surfaces a provider error with its code, description and status', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(403, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    const error = await oauth.handleCallback({ code: 'bad', state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthProviderError);
    expect(error).toMatchObject({ code: 'provider_error', error: 'invalid_grant', errorDescription: 'Invalid authorization code', status: 403 });
    expect((error as Error).message).toBe('invalid_grant: Invalid authorization code');
  });

  it('gives a timeout error when the token endpoint does not answer in time', async () => {
    const oauth = manager({ httpTimeoutMs: 100 });
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').delay(2000).reply(200, tokenBody);
    const error = await oauth.handleCallback({ code: 'c', state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointTimeoutError);
    expect((error as Error).message).toBe(`Atlassian token endpoint did not answer within 100 ms (${AUTH}/oauth/token)`);
  });

  it.each([500, 502, 503])('gives a server error for HTTP %i', async (status) => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(status, '<html>upstream down</html>');
    const error = await oauth.handleCallback({ code: 'c', state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointServerError);
    expect(error).toMatchObject({ code: 'token_endpoint_server_error', status });
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });

  it.each([
    ['an HTML body', 200, '<html>not json</html>', 'body is not JSON'],
    ['a JSON array', 200, '[]', 'body is not a JSON object'],
    ['no access_token', 200, '{"token_type":"Bearer"}', 'missing "access_token"'],
    ['a 400 without an error field', 400, '{"message":"nope"}', 'error status without an OAuth "error" field'],
    ['a truncated JSON body', 200, '{"access_token":"at', 'body is not JSON'],
  ])('gives a malformed-response error for %s', async (_name, status, body, detail) => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(status, body);
    const error = await oauth.handleCallback({ code: 'c', state }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointMalformedResponseError);
    expect((error as Error).message).toContain(detail);
  });

  it('never puts the client secret in an error message', async () => {
    const oauth = manager();
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    const error = (await oauth.handleCallback({ code: 'c', state }).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(config.clientSecret);
  });
});

describe('refresh', () => {
  it('sends the refresh_token grant and stores the rotated pair', async () => {
    const oauth = manager();
    await oauth.store.put('tokens', 'dev@acme.test', { accessToken: 'old-at', refreshToken: 'old-rt', expiresAt: Date.now() - 1, scope: 's', obtainedAt: 0 });
    nock(AUTH)
      .post('/oauth/token', { grant_type: 'refresh_token', client_id: 'client-abc', client_secret: 'secret-xyz-123', refresh_token: 'old-rt' })
      .reply(200, { access_token: 'new-at', refresh_token: 'new-rt', expires_in: 60, scope: 's' });
    const fresh = await oauth.refresh();
    expect(fresh).toMatchObject({ accessToken: 'new-at', refreshToken: 'new-rt' });
    expect(await oauth.getTokens()).toEqual(fresh);
  });

  it('keeps the old refresh token when the provider does not rotate it', async () => {
    const oauth = manager();
    await oauth.store.put('tokens', 'dev@acme.test', { accessToken: 'old-at', refreshToken: 'old-rt', expiresAt: 0, scope: 's', obtainedAt: 0 });
    nock(AUTH).post('/oauth/token').reply(200, { access_token: 'new-at', expires_in: 60 });
    expect(await oauth.refresh()).toMatchObject({ accessToken: 'new-at', refreshToken: 'old-rt' });
  });

  it('says to run start_oauth when nothing is stored', async () => {
    const error = await manager().refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect((error as Error).message).toContain('start_oauth');
  });

  it('surfaces a provider error on refresh', async () => {
    const oauth = manager();
    await oauth.store.put('tokens', 'dev@acme.test', { accessToken: 'a', refreshToken: 'r', expiresAt: 0, scope: 's', obtainedAt: 0 });
    nock(AUTH).post('/oauth/token').reply(403, { error: 'unauthorized_client', error_description: 'refresh_token is invalid' });
    await expect(oauth.refresh()).rejects.toMatchObject({ error: 'unauthorized_client', errorDescription: 'refresh_token is invalid' });
  });
});

describe('status', () => {
  it('reports no token and the active sessions', async () => {
    const oauth = manager();
    await oauth.startAuthorization();
    expect(await oauth.status()).toEqual({ authenticated: false, store: 'memory', activeSessions: 1, tokenExpiresAt: null });
  });
});
