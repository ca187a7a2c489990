/**
 * sealed-state's token relay through the real callback server: the tool
 * process's store reads and writes tokens held in the callback process's
 * memory, only with the credential derived from SESSION_SEAL_KEY, and the
 * credential and tokens never reach a log line.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredTokens } from '../session-store.ts';
import { createLogger, silentLogger } from '../log.ts';
import { createCallbackServer, type CallbackServer } from '../callback-server.ts';
import { SealedStateSessionStore } from './sealed-state-store.ts';
import { TOKEN_RELAY_PATH, TokenRelayClient, tokenRelayCredential } from './token-relay.ts';

const USER = 'alice@acme-corp.example';
const NOW = Date.now();
const tokens = (accessToken: string): StoredTokens => ({
  accessToken,
  refreshToken: `refresh-${accessToken}`,
  expiresAt: NOW + 3_600_000,
  scope: 'read:jira-work offline_access',
  obtainedAt: NOW,
});

let callback: CallbackServer | undefined;
let extraServer: net.Server | undefined;
let logLines: string[] = [];

beforeEach(() => {
  SealedStateSessionStore.clearAllForTesting();
  logLines = [];
});
afterEach(async () => {
  await callback?.close();
  callback = undefined;
  await new Promise<void>((resolve) => (extraServer ? extraServer.close(() => resolve()) : resolve()));
  extraServer = undefined;
});

/** The callback process's side: its sealed-state store and the real callback server serving the relay. */
async function startCallbackSide(sealKey: Buffer): Promise<{ origin: string; store: SealedStateSessionStore }> {
  const log = createLogger('callback-test', (line) => logLines.push(line));
  const store = new SealedStateSessionStore({ sealKey, logger: log.child('store') });
  callback = createCallbackServer({
    oauth: { handleCallback: async () => ({ userEmail: USER, expiresAt: 0, scope: '' }) },
    storeKind: store.kind,
    tokenRelay: store.tokenRelay,
    logger: log.child('http'),
  });
  const { url } = await callback.listen(0);
  return { origin: url, store };
}

const toolSide = (sealKey: Buffer, origin: string, timeoutMs?: number) =>
  new SealedStateSessionStore({ sealKey, tokenRelayOrigin: origin, tokenRelayTimeoutMs: timeoutMs, logger: silentLogger });

describe('token relay', () => {
  it('lets the tool process read the callback process tokens, write a refresh back, count and take them', async () => {
    const sealKey = randomBytes(32);
    const { origin, store: callbackStore } = await startCallbackSide(sealKey);
    const tool = toolSide(sealKey, origin);
    expect(tool.tokenRelay).toBeUndefined();

    expect(await tool.get('tokens', USER)).toBeUndefined();
    await callbackStore.put('tokens', USER, tokens('first'));
    expect(await tool.get('tokens', USER)).toEqual(tokens('first'));
    expect(await tool.count('tokens')).toBe(1);

    const refreshed = tokens('rotated');
    await tool.put('tokens', USER, refreshed);
    expect(await callbackStore.get('tokens', USER)).toEqual(refreshed);

    expect(await tool.take('tokens', USER)).toEqual(refreshed);
    expect(await callbackStore.get('tokens', USER)).toBeUndefined();
    await tool.delete('tokens', USER);
    expect(await tool.count('tokens')).toBe(0);
  });

  it('answers 401 to a request without the credential or with a wrong one, before looking at the path', async () => {
    const sealKey = randomBytes(32);
    const { origin, store } = await startCallbackSide(sealKey);
    await store.put('tokens', USER, tokens('secret-access'));
    const url = `${origin}${TOKEN_RELAY_PATH}/${encodeURIComponent(USER)}`;
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${tokenRelayCredential(randomBytes(32))}`, `Basic ${tokenRelayCredential(sealKey)}`]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="token-relay"');
      expect(await response.text()).not.toContain('secret-access');
    }
    const nowhere = await fetch(`${origin}${TOKEN_RELAY_PATH}/nobody/extra`);
    expect(nowhere.status).toBe(401);
    const right = await fetch(url, { headers: { authorization: `Bearer ${tokenRelayCredential(sealKey)}` } });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ accessToken: 'secret-access' });
  });

  it('tells the tool process when the two processes do not share SESSION_SEAL_KEY', async () => {
    const { origin } = await startCallbackSide(randomBytes(32));
    await expect(toolSide(randomBytes(32), origin).get('tokens', USER)).rejects.toThrow(
      /401, the callback process refused this credential \(do both processes have the same SESSION_SEAL_KEY\?\)/,
    );
  });

  it('never writes the credential, the seal key or a token into a log line', async () => {
    const sealKey = randomBytes(32);
    const { origin, store } = await startCallbackSide(sealKey);
    await store.put('tokens', USER, tokens('access-that-must-not-leak'));
    const tool = toolSide(sealKey, origin);
    await tool.get('tokens', USER);
    await tool.put('tokens', USER, tokens('rotated-that-must-not-leak'));
    await fetch(`${origin}${TOKEN_RELAY_PATH}/${USER}`, { headers: { authorization: 'Bearer guessed-credential' } });
    expect(logLines.some((line) => line.includes('token-relay'))).toBe(true);
    const all = logLines.join('\n');
    for (const secret of [tokenRelayCredential(sealKey), sealKey.toString('base64url'), 'access-that-must-not-leak', 'rotated-that-must-not-leak', 'guessed-credential', USER]) {
      expect(all).not.toContain(secret);
    }
  });

  it('refuses a body that is not a tokens record, and one that is too large', async () => {
    const sealKey = randomBytes(32);
    const { origin, store } = await startCallbackSide(sealKey);
    const post = (body: string) =>
      fetch(`${origin}${TOKEN_RELAY_PATH}/${USER}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenRelayCredential(sealKey)}`, 'content-type': 'application/json' },
        body,
      });
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ accessToken: 'a', extra: true }))).status).toBe(400);
    expect((await post(JSON.stringify({ ...tokens('a'), pad: 'x'.repeat(20_000) }))).status).toBe(413);
    expect(await store.get('tokens', USER)).toBeUndefined();
  });

  it('is not served by a callback server that was given no relay', async () => {
    callback = createCallbackServer({
      oauth: { handleCallback: async () => ({ userEmail: USER, expiresAt: 0, scope: '' }) },
      storeKind: 'sqlite',
      logger: silentLogger,
    });
    const { url } = await callback.listen(0);
    expect((await fetch(`${url}${TOKEN_RELAY_PATH}/${USER}`)).status).toBe(404);
  });

  it('fails clearly and fast when the callback process is unreachable or does not answer', async () => {
    // A port that was just free: nothing listens there.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const credential = tokenRelayCredential(randomBytes(32));
    await expect(new TokenRelayClient({ origin: `http://127.0.0.1:${closed}`, credential }).get(USER)).rejects.toThrow(
      new RegExp(`token relay GET http://127.0.0.1:${closed}/internal/tokens/.*: callback process unreachable \\(ECONNREFUSED\\)`),
    );

    // Accepts the connection, never answers.
    const silent = http.createServer(() => undefined);
    extraServer = silent;
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as net.AddressInfo).port)));
    const started = Date.now();
    await expect(new TokenRelayClient({ origin: `http://127.0.0.1:${port}`, credential, timeoutMs: 200 }).get(USER)).rejects.toThrow(
      /no answer within 200 ms/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    silent.closeAllConnections();
  });
});
