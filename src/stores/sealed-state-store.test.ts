/**
 * sealed-state specifics: the seal (tamper, wrong key, expiry by the sealed
 * timestamp), single use inside a process and what remains possible across
 * processes, the key's format, and the state's length in a URL.
 */
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { nockForThisFile } from '../../test/setup/nock-for-this-file.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVALID_STATE_MESSAGE, SESSION_CLOCK_SKEW_MS, SESSION_TTL_MS } from '../session-store.ts';
import { silentLogger } from '../log.ts';
import { OAuthManager, generatePkcePair } from '../oauth-manager.ts';
import { SealedStateSessionStore } from './sealed-state-store.ts';
import { SessionSealer, generateSealKey, parseSealKey, type UnsealedSession } from './sealed-session.ts';

const LOOPBACK_SESSION: UnsealedSession = {
  codeVerifier: generatePkcePair().codeVerifier,
  redirectUri: 'http://127.0.0.1:54321/oauth/callback',
  timestamp: Date.now(),
  userEmail: 'alice@acme-corp.example',
};

function store(sealKey = randomBytes(32)): SealedStateSessionStore {
  return new SealedStateSessionStore({ sealKey, logger: silentLogger });
}

async function minted(s: SealedStateSessionStore, overrides: Partial<UnsealedSession> = {}): Promise<string> {
  const session = { ...LOOPBACK_SESSION, timestamp: Date.now(), ...overrides };
  const state = await s.mintState(session);
  await s.put('sessions', state, { state, ...session });
  return state;
}

/** The state with one decoded byte flipped, re-encoded canonically. */
function flipByte(state: string, index: number): string {
  const bytes = Buffer.from(state, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64url');
}

beforeEach(() => SealedStateSessionStore.clearAllForTesting());
afterEach(() => vi.useRealTimers());

describe('sealed-state: the seal', () => {
  it('opens what it sealed, with every field of the session', async () => {
    const s = store();
    const state = await minted(s);
    expect(await s.get('sessions', state)).toEqual({ ...LOOPBACK_SESSION, timestamp: expect.any(Number), state });
  });

  it.each([
    ['the version byte', 0],
    ['the nonce (IV part)', 5],
    ['the nonce (AAD part)', 25],
    ['the ciphertext', 40],
    ['the tag (last byte)', -1],
  ])('refuses a state with a byte of %s flipped', async (_where, index) => {
    const s = store();
    const state = await minted(s);
    const bytes = Buffer.from(state, 'base64url');
    const tampered = flipByte(state, index < 0 ? bytes.length + index : index);
    expect(tampered).not.toBe(state);
    expect(await s.get('sessions', tampered)).toBeUndefined();
    expect(await s.take('sessions', tampered)).toBeUndefined();
    // The genuine state is unaffected by the attempt.
    expect(await s.take('sessions', state)).toBeDefined();
  });

  it('refuses a truncated state, a non-base64url state and a second spelling of the same bytes', async () => {
    const s = store();
    const state = await minted(s);
    expect(await s.get('sessions', state.slice(0, -4))).toBeUndefined();
    expect(await s.get('sessions', `${state}=`)).toBeUndefined();
    expect(await s.get('sessions', state.replace(/.$/, '+'))).toBeUndefined();
    // base64url's unused low bits: another string, same bytes. One state, one spelling.
    const last = state.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = state.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    // 152 bytes encode to 203 characters: the last one has two spare bits.
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(state, 'base64url'))).toBe(true);
    expect(await s.get('sessions', twin)).toBeUndefined();
    expect(await s.get('sessions', state)).toBeDefined();
    expect(new SessionSealer(randomBytes(32)).open(state.slice(0, 20))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a state sealed under another key', async () => {
    const state = await minted(store());
    const other = store();
    expect(await other.get('sessions', state)).toBeUndefined();
    expect(new SessionSealer(randomBytes(32)).open(state)).toEqual({ ok: false, reason: 'forged' });
  });

  it('expires by its own sealed timestamp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = store();
    const state = await minted(s);
    vi.setSystemTime(Date.now() + SESSION_TTL_MS - 1000);
    expect(await s.get('sessions', state)).toBeDefined();
    vi.setSystemTime(Date.now() + 2000);
    expect(await s.get('sessions', state)).toBeUndefined();
    expect(await s.take('sessions', state)).toBeUndefined();
  });

  it('refuses a state sealed with a timestamp beyond the clock-skew allowance', async () => {
    const s = store();
    const ahead = await minted(s, { timestamp: Date.now() + SESSION_CLOCK_SKEW_MS + 5000 });
    expect(await s.get('sessions', ahead)).toBeUndefined();
  });
});

describe('sealed-state: replay', () => {
  it('refuses the second use of a state in the process that saw the first, from any instance', async () => {
    const sealKey = randomBytes(32);
    const first = store(sealKey);
    const state = await minted(first);
    expect(await first.take('sessions', state)).toBeDefined();
    expect(await first.take('sessions', state)).toBeUndefined();
    expect(await store(sealKey).take('sessions', state)).toBeUndefined();
  });

  it('refuses a state deleted (revoked) in this process', async () => {
    const s = store();
    const state = await minted(s);
    await s.delete('sessions', state);
    expect(await s.get('sessions', state)).toBeUndefined();
  });

  // What remains possible without a shared store (see the store's header):
  // the used set is one process's memory. The provider still refuses the
  // replayed request, because the authorization code is single-use.
  it('accepts the same state again in a process that never saw it (another instance, or after a restart)', async () => {
    const sealKey = randomBytes(32);
    const s = store(sealKey);
    const state = await minted(s);
    expect(await s.take('sessions', state)).toBeDefined();
    SealedStateSessionStore.clearAllForTesting(); // a fresh process
    expect(await store(sealKey).take('sessions', state)).toBeDefined();
  });
});

describe('sealed-state: the key', () => {
  it('accepts 32 bytes of base64url, with or without padding', () => {
    const text = generateSealKey();
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseSealKey(text)).toHaveLength(32);
    expect(parseSealKey(`${text}=`)).toEqual(parseSealKey(text));
  });

  it.each([
    ['too short', randomBytes(16).toString('base64url'), /got 16 bytes/],
    ['too long', randomBytes(48).toString('base64url'), /got 48 bytes/],
    ['standard base64', '+/'.repeat(21) + 'A', /base64url/],
    ['a passphrase', 'correct horse battery staple', /base64url/],
  ])('refuses a key that is %s, without echoing it', (_what, key, message) => {
    let error: Error | undefined;
    try {
      parseSealKey(key);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(key);
  });
});

describe('sealed-state: the state in a URL', () => {
  it('is under 300 characters for realistic sessions, and carries 32 random bytes', async () => {
    const sealer = new SessionSealer(randomBytes(32));
    const loopback = sealer.seal(LOOPBACK_SESSION);
    const hosted = sealer.seal({
      ...LOOPBACK_SESSION,
      redirectUri: 'https://mcp-gateway.example-corp.com/jira/oauth/callback/v2', // 59 bytes
      userEmail: 'firstname.lastname@engineering.acme.io', // 38 bytes
    });
    // The figures documented in sealed-session.ts.
    expect(loopback).toHaveLength(203);
    expect(hosted).toHaveLength(252);
    expect(hosted.length).toBeLessThan(300);
    // Only URL-safe characters: no escaping in the authorize URL's query.
    expect(loopback).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL('https://auth.atlassian.com/authorize');
    url.searchParams.set('state', loopback);
    expect(url.toString()).toContain(`state=${loopback}`);
    // Same session sealed twice: different states (fresh 32-byte nonce each time).
    const again = sealer.seal(LOOPBACK_SESSION);
    expect(again).not.toBe(loopback);
    const nonce = (st: string) => Buffer.from(st, 'base64url').subarray(1, 33);
    expect(nonce(again).equals(nonce(loopback))).toBe(false);
    expect(nonce(loopback)).toHaveLength(32);
  });
});

describe('sealed-state through the OAuth manager', () => {
  nockForThisFile();
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  function manager(s: SealedStateSessionStore): OAuthManager {
    return new OAuthManager({
      config: {
        clientId: 'cid',
        clientSecret: 'secret-value',
        redirectUri: 'http://127.0.0.1:54321/oauth/callback',
        authUrl: 'https://auth.example.test',
        userEmail: 'alice@acme-corp.example',
        httpTimeoutMs: 2000,
      },
      store: s,
      logger: silentLogger,
    });
  }

  it('mints the state with the store, and the state alone brings the session back', async () => {
    const s = store();
    const { authUrl, state } = await manager(s).startAuthorization();
    expect(state).toHaveLength(203);
    expect(new URL(authUrl).searchParams.get('state')).toBe(state);
    const session = await s.get('sessions', state);
    expect(session).toMatchObject({ state, redirectUri: 'http://127.0.0.1:54321/oauth/callback', userEmail: 'alice@acme-corp.example' });
    expect(session!.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await s.count('sessions')).toBe(1);
  });

  it('exchanges the code once; a replayed or tampered state gets the exact invalid-state message without a token request', async () => {
    const s = store();
    const oauth = manager(s);
    const { state } = await oauth.startAuthorization();
    const token = nock('https://auth.example.test')
      .post('/oauth/token')
      .once()
      .reply(200, { access_token: 'at', refresh_token: 'rt', expires_in: 3600, scope: 'read:jira-work' });
    await expect(oauth.handleCallback({ code: 'c1', state })).resolves.toMatchObject({ userEmail: 'alice@acme-corp.example' });
    expect(token.isDone()).toBe(true);
    await expect(oauth.handleCallback({ code: 'c1', state })).rejects.toThrow(INVALID_STATE_MESSAGE);
    const { state: other } = await oauth.startAuthorization();
    await expect(oauth.handleCallback({ code: 'c2', state: flipByte(other, 50) })).rejects.toThrow(INVALID_STATE_MESSAGE);
    expect(await s.get('tokens', 'alice@acme-corp.example')).toMatchObject({ accessToken: 'at', refreshToken: 'rt' });
  });
});
