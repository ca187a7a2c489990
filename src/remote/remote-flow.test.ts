/**
 * The remote mode's whole flow in one process, hop by hop over HTTP, for
 * every store kind that needs no server: two apps ("replicas") over two
 * instances of one store, the hops alternating between them, with a
 * stand-in for Atlassian that checks the PKCE verifier of this server's own
 * leg. What crosses between the two is only what the store carries (for
 * sealed-state: the keys themselves). Cross-process behaviour (memory's
 * per-process Map) is the e2e tests' job.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { OAuthProviderError } from '../oauth-errors.ts';
import { generatePkcePair, pkceChallenge } from '../oauth-manager.ts';
import { INVALID_STATE_MESSAGE, type SessionStore, type StoreKind, type StoredTokens } from '../session-store.ts';
import { createSessionStore } from '../stores/create-session-store.ts';
import { MemorySessionStore } from '../stores/memory-store.ts';
import { SealedStateSessionStore } from '../stores/sealed-state-store.ts';
import { createRemoteApp } from './remote-app.ts';

const PUBLIC_URL = 'http://127.0.0.1:9';
const CLIENT_REDIRECT = 'http://127.0.0.1:7/callback';
const UPSTREAM_CODE = 'atlassian-code';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Atlassian's side: remembers the challenge of each state, and exchanges its one code only with the matching verifier. */
function standInAtlassian() {
  const challenges = new Map<string, string>();
  return {
    authorizeUrl(flow: { state: string; codeChallenge: string; redirectUri: string }): string {
      challenges.set(flow.state, flow.codeChallenge);
      return `https://auth.atlassian.example/authorize?${new URLSearchParams({ state: flow.state, redirect_uri: flow.redirectUri })}`;
    },
    async exchangeCode(grant: { code: string; redirectUri: string; codeVerifier: string }): Promise<StoredTokens> {
      expect(grant).toMatchObject({ code: UPSTREAM_CODE, redirectUri: `${PUBLIC_URL}/oauth/callback` });
      expect([...challenges.values()]).toContain(pkceChallenge(grant.codeVerifier));
      return { accessToken: 'atlassian-access-token', refreshToken: 'atlassian-refresh-1', expiresAt: Date.now() + 3_600_000, scope: 'read:jira-work', obtainedAt: Date.now() };
    },
    /** Rotates: each refresh token works once. */
    refreshed: [] as string[],
    async refreshGrant(refreshToken: string): Promise<StoredTokens> {
      if (this.refreshed.includes(refreshToken)) throw new OAuthProviderError('invalid_grant', 'refresh token reused', 403);
      this.refreshed.push(refreshToken);
      const next = `atlassian-refresh-${this.refreshed.length + 1}`;
      return { accessToken: `atlassian-access-${next}`, refreshToken: next, expiresAt: Date.now() + 3_600_000, scope: 'read:jira-work', obtainedAt: Date.now() };
    },
  };
}

/** Two instances of one store kind over the same data. */
function storePair(kind: StoreKind): [SessionStore, SessionStore] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-flow-'));
  const privateDir = path.join(dir, 'private');
  mkdirSync(privateDir, { mode: 0o700 });
  MemorySessionStore.clearAllForTesting();
  SealedStateSessionStore.clearAllForTesting();
  const options = { sessionFile: path.join(kind === 'json-file' ? dir : privateDir, 'sessions.json'), sealKey: randomBytes(32), logger: silentLogger };
  const pair: [SessionStore, SessionStore] = [createSessionStore(kind, options), createSessionStore(kind, options)];
  cleanups.push(async () => {
    for (const store of pair) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return pair;
}

async function startApp(store: SessionStore, upstream: ReturnType<typeof standInAtlassian>): Promise<string> {
  const config: RemoteConfig = {
    provider: 'atlassian',
    clientId: 'atlassian-client',
    clientSecret: 'atlassian-secret',
    jiraCompanyUrl: 'https://acme.atlassian.net',
    authUrl: 'https://auth.atlassian.example',
    apiUrl: 'https://api.atlassian.example',
    sessionStore: store.kind,
    sessionFile: undefined,
    redisUrl: undefined,
    sessionSealKey: undefined,
    port: 0,
    httpTimeoutMs: 1000,
    publicUrl: PUBLIC_URL,
  };
  const server = http.createServer(createRemoteApp({ config, store, log: silentLogger, upstream }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const location = (response: Response): URL => new URL(response.headers.get('location') ?? 'about:blank');
const post = (url: string, body: Record<string, string>) => fetch(url, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });
const mcp = (url: string, token: string, message: object, sessionId?: string) =>
  fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });

/** Registration on A, /authorize on B, the callback on A; returns the client, its verifier and this server's code. */
async function authorize(a: string, b: string, upstreamState?: (state: string) => string) {
  const registered = await fetch(`${a}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }),
  });
  expect(registered.status).toBe(201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const { codeVerifier, codeChallenge } = generatePkcePair();
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: codeChallenge, code_challenge_method: 'S256', state: 'client-state', resource: `${PUBLIC_URL}/mcp` });
  const toAtlassian = await fetch(`${b}/authorize?${query}`, { redirect: 'manual' });
  expect(toAtlassian.status).toBe(302);
  const state = location(toAtlassian).searchParams.get('state')!;
  const toClient = await fetch(`${a}/oauth/callback?${new URLSearchParams({ code: UPSTREAM_CODE, state: upstreamState ? upstreamState(state) : state })}`, { redirect: 'manual' });
  return { clientId, codeVerifier, toClient };
}

const KINDS: StoreKind[] = ['memory', 'json-file', 'atomic-file', 'sqlite', 'sealed-state'];

describe.each(KINDS)('remote flow across two app instances over one %s store', (kind) => {
  it('registration, /authorize, the callback, /token and an MCP session each work on the other instance', async () => {
    const upstream = standInAtlassian();
    const [storeA, storeB] = storePair(kind);
    const [a, b] = [await startApp(storeA, upstream), await startApp(storeB, upstream)];

    const { clientId, codeVerifier, toClient } = await authorize(a, b);
    expect(toClient.status).toBe(302);
    expect(location(toClient).origin + location(toClient).pathname).toBe(CLIENT_REDIRECT);
    expect(location(toClient).searchParams.get('state')).toBe('client-state');
    const code = location(toClient).searchParams.get('code')!;

    const tokenRequest = { grant_type: 'authorization_code', code, code_verifier: codeVerifier, client_id: clientId, redirect_uri: CLIENT_REDIRECT, resource: `${PUBLIC_URL}/mcp` };
    const token = await post(`${b}/token`, tokenRequest);
    expect(token.status).toBe(200);
    const { access_token: firstAccessToken, refresh_token: refreshToken } = (await token.json()) as { access_token: string; refresh_token: string };
    // Single use: the code is spent on either instance.
    expect(await (await post(`${a}/token`, tokenRequest)).json()).toMatchObject({ error: 'invalid_grant' });

    // A refresh on the other instance: new tokens, Atlassian's renewed behind them; the old refresh token is spent.
    const refreshRequest = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
    const refreshed = await post(`${a}/token`, refreshRequest);
    expect(refreshed.status).toBe(200);
    const { access_token: accessToken, refresh_token: nextRefreshToken } = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect([accessToken, nextRefreshToken]).not.toContain(firstAccessToken);
    expect(nextRefreshToken).not.toBe(refreshToken);
    expect(upstream.refreshed).toEqual(['atlassian-refresh-1']);
    expect(await (await post(`${b}/token`, refreshRequest)).json()).toMatchObject({ error: 'invalid_grant' });

    const initialized = await mcp(a, accessToken, { method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    expect(initialized.status).toBe(200);
    const sessionId = initialized.headers.get('mcp-session-id')!;
    expect(sessionId).toBeTruthy();
    const listed = await mcp(b, accessToken, { method: 'tools/list' }, sessionId);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)).toEqual(['jira_whoami', 'replica_info']);

    // Ended on one instance, unknown on the other. (sealed-state: both instances share this process's used set;
    // across processes a deleted session still opens on another replica until it expires, as its store says.)
    expect((await fetch(`${b}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}`, 'mcp-session-id': sessionId } })).status).toBe(200);
    expect((await mcp(a, accessToken, { method: 'tools/list' }, sessionId)).status).toBe(404);
  });

  it('refuses a verifier that does not match the client challenge, and a state it never issued', async () => {
    const upstream = standInAtlassian();
    const [storeA, storeB] = storePair(kind);
    const [a, b] = [await startApp(storeA, upstream), await startApp(storeB, upstream)];

    const { clientId, toClient } = await authorize(a, b);
    const code = location(toClient).searchParams.get('code')!;
    const wrong = await post(`${a}/token`, { grant_type: 'authorization_code', code, code_verifier: generatePkcePair().codeVerifier, client_id: clientId });
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant', error_description: 'code_verifier does not match the challenge' });

    const forged = await authorize(a, b, (state) => `${state.slice(0, -4)}AAAA`);
    expect(forged.toClient.status).toBe(400);
    expect(await forged.toClient.text()).toContain(INVALID_STATE_MESSAGE);
  });
});

describe('remote flow: what goes back to the MCP client when Atlassian says no', () => {
  it('a refusal at Atlassian reaches the client as access_denied with its state; a failed exchange as server_error', async () => {
    const upstream = standInAtlassian();
    const [store] = storePair('memory');
    const app = await startApp(store, upstream);

    // A registered client (its first flow succeeds), then a second flow that Atlassian refuses.
    const refused = await authorize(app, app);
    expect(refused.toClient.status).toBe(302);
    const second = await fetch(`${app}/authorize?${new URLSearchParams({ response_type: 'code', client_id: refused.clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: generatePkcePair().codeChallenge, code_challenge_method: 'S256', state: 'client-state-2' })}`, { redirect: 'manual' });
    const state = location(second).searchParams.get('state')!;
    const denied = await fetch(`${app}/oauth/callback?${new URLSearchParams({ error: 'access_denied', state })}`, { redirect: 'manual' });
    expect(denied.status).toBe(302);
    expect(Object.fromEntries(location(denied).searchParams)).toEqual({ error: 'access_denied', error_description: 'Atlassian answered access_denied', state: 'client-state-2' });

    upstream.exchangeCode = async () => {
      throw new OAuthProviderError('invalid_grant', 'code expired', 400);
    };
    const failed = await authorize(app, app);
    expect(Object.fromEntries(location(failed.toClient).searchParams)).toEqual({
      error: 'server_error',
      error_description: 'The Atlassian token exchange failed (provider_error)',
      state: 'client-state',
    });
  });

  it('a session id of another client is answered like an unknown one', async () => {
    const [store] = storePair('memory');
    const app = await startApp(store, standInAtlassian());
    const tokenOf = async () => {
      const { clientId, codeVerifier, toClient } = await authorize(app, app);
      const token = await post(`${app}/token`, { grant_type: 'authorization_code', code: location(toClient).searchParams.get('code')!, code_verifier: codeVerifier, client_id: clientId });
      return ((await token.json()) as { access_token: string }).access_token;
    };
    const [mine, theirs] = [await tokenOf(), await tokenOf()];
    const initialized = await mcp(app, mine, { method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } });
    const sessionId = initialized.headers.get('mcp-session-id')!;
    expect((await mcp(app, mine, { method: 'tools/list' }, sessionId)).status).toBe(200);
    expect((await mcp(app, theirs, { method: 'tools/list' }, sessionId)).status).toBe(404);
  });
});
