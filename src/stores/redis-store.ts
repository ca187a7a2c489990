/**
 * Sessions in Redis (ioredis): the fix for several hosts, where no disk is
 * shared. Each record is one key, `oauth:<namespace>:<key>`
 * (`oauth:sessions:<state>`, `oauth:tokens:<userEmail>`).
 *
 * - put = SET key value PX <what is left of the 15 min TTL> (PX 900000 for a
 *   fresh session): Redis itself forgets an expired session.
 * - take = GETDEL: one command, atomic on the server, so a state is redeemed
 *   once however many callbacks race, on however many hosts.
 * - Expiry is decided by ONE clock, the server's (`expiresBySelf`): the
 *   writer turns the session's timestamp into what is left of the TTL with
 *   its own clock (the clock that made the timestamp), and from then on only
 *   the server counts. A reader does not compare the timestamp with its own
 *   clock: on another host that clock may be minutes off, and the TTL would
 *   move by that much. A timestamp outside the live window of the writer's
 *   own clock (expired, or more than SESSION_CLOCK_SKEW_MS ahead) is not
 *   stored at all.
 * - Tokens expire with the access token (EX from expires_in) when there is
 *   no refresh token. With one, they are kept for TOKENS_WITH_REFRESH_TTL_S
 *   (Atlassian's refresh-token inactivity lifetime): expiring them with the
 *   access token would throw the refresh token away and turn every hour into
 *   a new browser flow.
 *
 * - The remote mode's records (clients, pending authorizations, codes,
 *   access tokens, MCP sessions) expire at their own `expiresAt`: SET … PX
 *   with what is left of it by the writer's clock; one already past it is
 *   not stored.
 *
 * Commands fail fast (one retry) while the server is unreachable, so the
 * callback answers with an error instead of hanging; the client reconnects
 * in the background.
 */
import { Redis } from 'ioredis';
import {
  isRemoteNamespace,
  sessionIsLive,
  SESSION_TTL_MS,
  type Namespace,
  type NamespaceRecords,
  type OAuthSession,
  type RemoteNamespace,
  type SessionStore,
  type StoredTokens,
} from '../session-store.ts';
import { createLogger, shortId, type Logger } from '../log.ts';

export const DEFAULT_REDIS_KEY_PREFIX = 'oauth:';
/** 90 days: how long Atlassian keeps an unused rotating refresh token. */
export const TOKENS_WITH_REFRESH_TTL_S = 90 * 24 * 60 * 60;

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL (REDIS_URL). */
  url: string;
  /** Prepended to every key; default `oauth:`. Tests give each case its own. */
  keyPrefix?: string;
  logger?: Logger;
  connectTimeoutMs?: number;
}

/** The URL without its password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable REDIS_URL>';
  }
}

export class RedisStoreError extends Error {
  readonly code = 'redis_store_failed';
  constructor(message: string) {
    super(message);
    this.name = 'RedisStoreError';
  }
}

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  /** The server's PX forgets a session at its TTL; see the header. */
  readonly expiresBySelf = true;
  readonly keyPrefix: string;
  private readonly client: Redis;
  private readonly log: Logger;
  private readonly where: string;
  private lastError: string | undefined;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.log = options.logger ?? createLogger('redis-store');
    this.where = describeRedisUrl(options.url);
    this.client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(50 * times, 2000),
    });
    // Without a listener ioredis prints every failed reconnect; log each distinct error once.
    this.client.on('error', (error: Error) => {
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.log.warn(`Redis at ${this.where}: ${error.message}`);
    });
    this.client.on('ready', () => {
      this.lastError = undefined;
    });
  }

  /** Runs one command; a failure names the server and the connection's own error, not ioredis's retry counter. */
  private async run<T>(command: string, fn: (client: Redis) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client);
    } catch (error) {
      const cause = this.lastError ?? (error as Error).message;
      throw new RedisStoreError(`Redis at ${this.where}: ${command} failed (${cause})`);
    }
  }

  private key(ns: Namespace, key: string): string {
    return `${this.keyPrefix}${ns}:${key}`;
  }

  private parse<N extends Namespace>(ns: N, key: string, text: string | null): NamespaceRecords[N] | undefined {
    if (text === null) return undefined;
    let record: NamespaceRecords[N];
    try {
      record = JSON.parse(text) as NamespaceRecords[N];
    } catch (error) {
      this.log.warn(`⚠️ Unparseable ${ns} record under ${shortId(key)}: ${(error as Error).message}`);
      return undefined;
    }
    return record;
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    const now = Date.now();
    const redisKey = this.key(ns, key);
    if (isRemoteNamespace(ns)) {
      const left = (record as NamespaceRecords[RemoteNamespace]).expiresAt - now;
      if (!(left > 0)) {
        await this.run('DEL', (c) => c.del(redisKey));
        this.log.warn(`⏰ Not storing ${ns} record ${shortId(key)}: it expired already`);
        return;
      }
      await this.run('SET', (c) => c.set(redisKey, JSON.stringify(record), 'PX', Math.ceil(left)));
      return;
    }
    if (ns === 'sessions') {
      const { timestamp } = record as OAuthSession;
      if (!sessionIsLive(timestamp, now)) {
        // Expired already, or dated too far ahead: nothing valid to keep.
        await this.run('DEL', (c) => c.del(redisKey));
        this.log.warn(`⏰ Not storing session ${shortId(key)}: its timestamp is outside the live window`);
        return;
      }
      await this.run('SET', (c) => c.set(redisKey, JSON.stringify(record), 'PX', Math.min(timestamp + SESSION_TTL_MS - now, SESSION_TTL_MS)));
      this.log.info(`💾 Stored session ${shortId(key)} in Redis at ${this.where}`);
      return;
    }
    const tokens = record as StoredTokens;
    const seconds = tokens.refreshToken ? TOKENS_WITH_REFRESH_TTL_S : Math.ceil((tokens.expiresAt - now) / 1000);
    if (seconds <= 0) {
      await this.run('DEL', (c) => c.del(redisKey));
      return;
    }
    await this.run('SET', (c) => c.set(redisKey, JSON.stringify(record), 'EX', seconds));
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = this.parse(ns, key, await this.run('GET', (c) => c.get(this.key(ns, key))));
    if (ns === 'sessions') this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = this.parse(ns, key, await this.run('GETDEL', (c) => c.getdel(this.key(ns, key))));
    if (ns === 'sessions') this.log.info(`🔍 Taking session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    await this.run('DEL', (c) => c.del(this.key(ns, key)));
  }

  /** SCAN over the namespace's keys: O(keys in the database), for status output, not for the hot path. */
  async count(ns: Namespace): Promise<number> {
    const pattern = `${this.keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}${ns}:*`;
    let cursor = '0';
    // SCAN may return a key twice while the keyspace is rehashed.
    const seen = new Set<string>();
    do {
      const [next, keys] = await this.run('SCAN', (c) => c.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
      cursor = next;
      for (const k of keys) seen.add(k);
    } while (cursor !== '0');
    return seen.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === 'wait' || this.client.status === 'end') {
      this.client.disconnect();
      return;
    }
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
