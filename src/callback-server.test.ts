import net from 'node:net';
import nock from 'nock';
import { nockForThisFile } from '../test/setup/nock-for-this-file.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCallbackServer, MAX_URL_BYTES, type CallbackServer } from './callback-server.ts';
import { OAuthManager } from './oauth-manager.ts';
import { MemorySessionStore } from './stores/memory-store.ts';
import { silentLogger } from './log.ts';
import { INVALID_STATE_MESSAGE, TOKEN_EXCHANGE_FAILED_PREFIX } from './session-store.ts';
import { escapeHtml } from './callback-pages.ts';

const AUTH = 'https://auth.example.test';
const XSS = `<script>alert("x")</script>'&`;

let callback: CallbackServer;
let baseUrl: string;
let oauth: OAuthManager;

function newManager(httpTimeoutMs = 2000): OAuthManager {
  return new OAuthManager({
    config: {
      clientId: 'cid',
      clientSecret: 'the-client-secret',
      redirectUri: 'http://127.0.0.1:1/oauth/callback',
      authUrl: AUTH,
      userEmail: 'dev@acme.test',
      httpTimeoutMs,
    },
    store: new MemorySessionStore({ logger: silentLogger }),
    logger: silentLogger,
  });
}

async function get(pathAndQuery: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${baseUrl}${pathAndQuery}`, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

function outcomeOf(body: string): string | undefined {
  return /<main data-outcome="([a-z-]+)">/.exec(body)?.[1];
}

/** Sends raw bytes and returns the raw answer, for requests fetch refuses to make. */
function rawRequest(bytes: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

nockForThisFile();
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(async () => {
  MemorySessionStore.clearAllForTesting();
  oauth = newManager();
  callback = createCallbackServer({ oauth, storeKind: 'memory', logger: silentLogger });
  baseUrl = (await callback.listen(0)).url;
});

afterEach(async () => {
  await callback.close();
  nock.cleanAll();
});

describe('GET /health', () => {
  it('answers 200 with the store and pid', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, store: 'memory', pid: process.pid });
  });
});

describe('GET /oauth/callback', () => {
  it('success: 200 and the closing page', async () => {
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(200, { access_token: 'at', refresh_token: 'rt', expires_in: 3600 });
    const res = await get(`/oauth/callback?code=abc&state=${state}`);
    expect(res.status).toBe(200);
    expect(outcomeOf(res.body)).toBe('success');
    expect(res.body).toContain('Authorization complete, you can close this window');
    expect(res.headers.get('x-callback-outcome')).toBe('success');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).not.toContain('abc');
  });

  it('invalid-state: 400 with the exact message for an unknown state', async () => {
    const res = await get('/oauth/callback?code=abc&state=unknown-state');
    expect(res.status).toBe(400);
    expect(outcomeOf(res.body)).toBe('invalid-state');
    expect(res.body).toContain(`${TOKEN_EXCHANGE_FAILED_PREFIX}${INVALID_STATE_MESSAGE}`);
    expect(res.body).toContain('Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.');
  });

  it('invalid-state: 400 when the same state comes back a second time', async () => {
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(200, { access_token: 'at', expires_in: 3600 });
    expect((await get(`/oauth/callback?code=abc&state=${state}`)).status).toBe(200);
    const second = await get(`/oauth/callback?code=abc&state=${state}`);
    expect(second.status).toBe(400);
    expect(outcomeOf(second.body)).toBe('invalid-state');
  });

  it('escapes a <script> payload sent as state', async () => {
    const res = await get(`/oauth/callback?code=abc&state=${encodeURIComponent(XSS)}`);
    expect(outcomeOf(res.body)).toBe('invalid-state');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain(escapeHtml(XSS));
    expect(escapeHtml(XSS)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
  });

  it('provider-error: 400 showing the error code and description', async () => {
    const res = await get('/oauth/callback?error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=s');
    expect(res.status).toBe(400);
    expect(outcomeOf(res.body)).toBe('provider-error');
    expect(res.body).toContain('<code data-field="error">access_denied</code>');
    expect(res.body).toContain('<p data-field="error_description">User did not authorize the request</p>');
  });

  it('escapes a <script> payload in error_description and error', async () => {
    const res = await get(`/oauth/callback?error=${encodeURIComponent(XSS)}&error_description=${encodeURIComponent(XSS)}`);
    expect(outcomeOf(res.body)).toBe('provider-error');
    expect(res.body).not.toContain('<script>');
    expect(res.body.split(escapeHtml(XSS))).toHaveLength(3);
  });

  it.each([
    ['code', '/oauth/callback?state=s1', ['code']],
    ['state', '/oauth/callback?code=c1', ['state']],
    ['an empty state', '/oauth/callback?code=c1&state=', ['state']],
    ['both', '/oauth/callback', ['code', 'state']],
  ])('missing-parameter: 400 naming %s', async (_name, path, missing) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(outcomeOf(res.body)).toBe('missing-parameter');
    for (const m of missing) expect(res.body).toContain(`Missing required parameter: ${m}`);
  });

  it.each([
    ['state', '/oauth/callback?code=c&state=a&state=b'],
    ['code', '/oauth/callback?code=c&code=d&state=a'],
    ['error', '/oauth/callback?error=a&error=b'],
  ])('duplicate-parameter: 400 naming %s', async (name, path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(outcomeOf(res.body)).toBe('duplicate-parameter');
    expect(res.body).toContain(`Duplicate parameter: ${name} (sent 2 times)`);
  });

  it('does not consume the state when a parameter is duplicated', async () => {
    const { state } = await oauth.startAuthorization();
    await get(`/oauth/callback?code=c&state=${state}&state=${state}`);
    expect(await oauth.store.count('sessions')).toBe(1);
  });

  it('escapes duplicated values', async () => {
    const res = await get(`/oauth/callback?code=c&state=${encodeURIComponent(XSS)}&state=x`);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain(escapeHtml(XSS));
  });

  it('token-exchange-failed: 502 with the provider error', async () => {
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    const res = await get(`/oauth/callback?code=bad&state=${state}`);
    expect(res.status).toBe(502);
    expect(outcomeOf(res.body)).toBe('token-exchange-failed');
    expect(res.body).toContain('Token exchange failed: invalid_grant: Invalid authorization code');
  });

  it('token-exchange-failed: 502 with an escaped provider description', async () => {
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: XSS });
    const res = await get(`/oauth/callback?code=bad&state=${state}`);
    expect(res.status).toBe(502);
    expect(res.body).not.toContain('<script>');
  });

  it('token-exchange-failed: 502 on a 5xx from the token endpoint', async () => {
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').reply(503, 'unavailable');
    const res = await get(`/oauth/callback?code=c&state=${state}`);
    expect(res.status).toBe(502);
    expect(res.body).toContain('Token exchange failed: Atlassian token endpoint failed with HTTP 503');
  });

  it('token-exchange-failed: 502 on a timeout', async () => {
    await callback.close();
    oauth = newManager(100);
    callback = createCallbackServer({ oauth, storeKind: 'memory', logger: silentLogger });
    baseUrl = (await callback.listen(0)).url;
    const { state } = await oauth.startAuthorization();
    nock(AUTH).post('/oauth/token').delay(2000).reply(200, {});
    const res = await get(`/oauth/callback?code=c&state=${state}`);
    expect(res.status).toBe(502);
    expect(res.body).toContain('Token exchange failed: Atlassian token endpoint did not answer within 100 ms');
  });

  it('never shows the client secret, even if the provider echoes it', async () => {
    const { registerSecret, clearRegisteredSecrets } = await import('./log.ts');
    registerSecret('the-client-secret');
    try {
      const { state } = await oauth.startAuthorization();
      nock(AUTH).post('/oauth/token').reply(401, { error: 'invalid_client', error_description: 'bad secret the-client-secret' });
      const res = await get(`/oauth/callback?code=c&state=${state}`);
      expect(res.body).not.toContain('the-client-secret');
      expect(res.body).toContain('[REDACTED]');
    } finally {
      clearRegisteredSecrets();
    }
  });
});

describe('everything else', () => {
  it('404 for other paths', async () => {
    const res = await get('/oauth/callback/extra?code=a&state=b');
    expect(res.status).toBe(404);
    expect(outcomeOf(res.body)).toBe('not-found');
    expect((await get('/')).status).toBe(404);
  });

  it('405 for other methods, with Allow', async () => {
    const res = await get('/oauth/callback?code=a&state=b', { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(outcomeOf(res.body)).toBe('method-not-allowed');
    expect((await get('/health', { method: 'DELETE' })).status).toBe(405);
  });

  it('414 for a URL over 16 KB', async () => {
    const res = await get(`/oauth/callback?code=c&state=${'a'.repeat(MAX_URL_BYTES)}`);
    expect(res.status).toBe(414);
    expect(outcomeOf(res.body)).toBe('uri-too-long');
  });

  it('answers a URL beyond the parser limit without dying', async () => {
    const answer = await rawRequest(`GET /oauth/callback?state=${'a'.repeat(80 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect((await get('/health')).status).toBe(200);
  });

  it('answers garbage with 400 and keeps serving', async () => {
    const answer = await rawRequest('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await get('/health')).status).toBe(200);
  });

  it('survives malformed percent-encoding', async () => {
    const res = await get('/oauth/callback?code=%E0%A4%A&state=%ZZ');
    expect(res.status).toBe(400);
    expect(outcomeOf(res.body)).toBe('invalid-state');
  });

  it('500 with a page when the handler fails unexpectedly, and keeps serving', async () => {
    await callback.close();
    callback = createCallbackServer({
      oauth: {
        handleCallback: () => {
          throw new TypeError('boom');
        },
      },
      storeKind: 'memory',
      logger: silentLogger,
    });
    baseUrl = (await callback.listen(0)).url;
    const res = await get('/oauth/callback?code=c&state=s');
    expect(res.status).toBe(500);
    expect(outcomeOf(res.body)).toBe('internal-error');
    expect(res.body).not.toContain('boom');
    expect((await get('/health')).status).toBe(200);
  });
});
