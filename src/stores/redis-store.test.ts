/**
 * redis specifics, against a real redis-server (harness/redis): the key
 * layout, the expiry Redis enforces itself (the one clock that decides, for
 * records written by any host), and a clear error for a missing REDIS_URL or
 * an unreachable server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CLOCK_SKEW_MS, SESSION_TTL_MS, type OAuthSession, type StoredTokens } from '../session-store.ts';
import { silentLogger } from '../log.ts';
import { ConfigError } from '../config.ts';
import { createSessionStore } from './create-session-store.ts';
import { RedisSessionStore, RedisStoreError, TOKENS_WITH_REFRESH_TTL_S, describeRedisUrl } from './redis-store.ts';
import { RedisServer, REDIS_INSTALL_HINT, redisServerAvailable } from '../../harness/deploy/services/redis-server.ts';

let server: RedisServer;
let logDir: string;
let raw: Redis;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
  logDir = mkdtempSync(path.join(os.tmpdir(), 'redis-store-test-'));
  server = await RedisServer.start({ logDir, name: 'redis-store-test' });
  raw = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await raw.flushdb();
});
afterAll(async () => {
  raw?.disconnect();
  await server?.stop();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

function open(options: Partial<ConstructorParameters<typeof RedisSessionStore>[0]> = {}): RedisSessionStore {
  const store = new RedisSessionStore({ url: server.url, logger: silentLogger, ...options });
  stores.push(store);
  return store;
}

function session(state: string, timestamp = Date.now()): OAuthSession {
  return { state, codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:1/oauth/callback', timestamp, userEmail: 'dev@acme.test' };
}

describe('redis store', () => {
  it('keeps a session at oauth:sessions:<state> with what is left of the 15-minute TTL', async () => {
    const store = open();
    await store.put('sessions', 'fresh', session('fresh'));
    await store.put('sessions', 'older', session('older', Date.now() - 10 * 60_000));
    const fresh = await raw.pttl('oauth:sessions:fresh');
    expect(fresh).toBeGreaterThan(SESSION_TTL_MS - 5000);
    expect(fresh).toBeLessThanOrEqual(SESSION_TTL_MS);
    const older = await raw.pttl('oauth:sessions:older');
    expect(older).toBeGreaterThan(4 * 60_000);
    expect(older).toBeLessThanOrEqual(5 * 60_000);
    expect(JSON.parse((await raw.get('oauth:sessions:fresh'))!)).toMatchObject({ state: 'fresh', codeVerifier: 'verifier-fresh' });
  });

  it('take is GETDEL: the key is gone after one take', async () => {
    const store = open();
    await store.put('sessions', 's', session('s'));
    expect(await store.take('sessions', 's')).toMatchObject({ state: 's' });
    expect(await raw.exists('oauth:sessions:s')).toBe(0);
  });

  it('expires tokens with the access token, or keeps them for the refresh token lifetime', async () => {
    const store = open();
    const base: StoredTokens = { accessToken: 'a', expiresAt: Date.now() + 3600_000, scope: 's', obtainedAt: Date.now() };
    await store.put('tokens', 'no-refresh@acme.test', base);
    await store.put('tokens', 'refresh@acme.test', { ...base, refreshToken: 'r' });
    const noRefresh = await raw.ttl('oauth:tokens:no-refresh@acme.test');
    expect(noRefresh).toBeGreaterThan(3590);
    expect(noRefresh).toBeLessThanOrEqual(3600);
    expect(await raw.ttl('oauth:tokens:refresh@acme.test')).toBeGreaterThan(TOKENS_WITH_REFRESH_TTL_S - 10);
    await store.put('tokens', 'expired@acme.test', { ...base, expiresAt: Date.now() - 1000 });
    expect(await raw.exists('oauth:tokens:expired@acme.test')).toBe(0);
  });

  // Regression: the read compared another host's timestamp with this host's
  // clock, so a skew between the two moved the TTL. The server's PX alone decides now.
  it("serves what the server still holds, whatever this host's clock says of its timestamp: one clock, the server's, decides", async () => {
    const store = open();
    expect(store.expiresBySelf).toBe(true);
    // Written by hosts whose clocks are off by more than the TTL, each with what was left of the TTL by its own clock.
    const behind = session('behind', Date.now() - SESSION_TTL_MS - 120_000);
    const ahead = session('ahead', Date.now() + SESSION_CLOCK_SKEW_MS + 120_000);
    await raw.set('oauth:sessions:behind', JSON.stringify(behind), 'PX', 60_000);
    await raw.set('oauth:sessions:ahead', JSON.stringify(ahead), 'PX', 60_000);
    expect(await store.get('sessions', 'ahead')).toEqual(ahead);
    expect(await store.take('sessions', 'behind')).toEqual(behind);
  });

  it('forgets a session when the server says its TTL is over, and refuses a torn record', async () => {
    const store = open();
    await raw.set('oauth:sessions:lapsing', JSON.stringify(session('lapsing')), 'PX', 20);
    await raw.set('oauth:sessions:garbage', '{"torn', 'PX', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.take('sessions', 'lapsing')).toBeUndefined();
    expect(await store.get('sessions', 'garbage')).toBeUndefined();
  });

  it("does not store a session outside the live window of the writer's own clock", async () => {
    const store = open();
    await store.put('sessions', 'stale', session('stale', Date.now() - SESSION_TTL_MS - 1));
    await store.put('sessions', 'far-ahead', session('far-ahead', Date.now() + SESSION_CLOCK_SKEW_MS + 60_000));
    expect(await raw.exists('oauth:sessions:stale', 'oauth:sessions:far-ahead')).toBe(0);
  });

  it('counts only its own namespace and prefix', async () => {
    const a = open({ keyPrefix: 'a:' });
    const b = open({ keyPrefix: 'b:' });
    await a.put('sessions', 'x', session('x'));
    await a.put('sessions', 'y', session('y'));
    await b.put('sessions', 'x', session('x'));
    await a.put('tokens', 'dev@acme.test', { accessToken: 't', refreshToken: 'r', expiresAt: Date.now() + 1000, scope: '', obtainedAt: 0 });
    expect(await a.count('sessions')).toBe(2);
    expect(await a.count('tokens')).toBe(1);
    expect(await b.count('sessions')).toBe(1);
  });

  it('needs REDIS_URL: a clear configuration error names it', () => {
    let error: unknown;
    try {
      createSessionStore('redis', { logger: silentLogger });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('REDIS_URL');
    expect((error as Error).message).toBe('Missing required environment variable REDIS_URL (SESSION_STORE=redis keeps sessions in that Redis server)');
  });

  it('fails fast, naming the server but not its password, when Redis is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as net.AddressInfo;
        s.close(() => resolve(p));
      });
    });
    const store = open({ url: `redis://:hunter2@127.0.0.1:${port}` });
    const started = Date.now();
    const error = await store.get('sessions', 'x').catch((e: unknown) => e as Error);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect((error as Error).message).toBe(`Redis at redis://:***@127.0.0.1:${port}: GET failed (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(describeRedisUrl(`redis://:hunter2@127.0.0.1:${port}`)).toBe(`redis://:***@127.0.0.1:${port}`);
  });
});
