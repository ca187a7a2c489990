/**
 * The virtual clock for a store whose expiry is kept by a server: Redis
 * counts `EX`/`PX` on its own clock, which no preload in the target's
 * processes can move. Moving time forward by `ms` on the server is, for every
 * key that expires, its remaining life shrinking by `ms` (or ending). Each
 * clock deployment gets a Redis database of its own, so no other
 * measurement's keys are touched.
 */
import { Redis } from 'ioredis';

let nextDatabase = 0;
/** Databases 1–15 of the run's redis-server (0 is everyone else's). */
export function privateDatabaseUrl(redisUrl: string): string {
  nextDatabase = (nextDatabase % 15) + 1;
  const url = new URL(redisUrl);
  url.pathname = `/${nextDatabase}`;
  return url.toString();
}

export async function advanceServerClock(redisUrl: string, ms: number): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const left = await redis.pttl(key);
        if (left < 0) continue; // no expiry, or gone
        if (left <= ms) await redis.del(key);
        else await redis.pexpire(key, left - ms);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
