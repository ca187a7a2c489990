/**
 * What a store's records take in a Redis server: the sum of MEMORY USAGE
 * over every key of the store's own database (each deployment gets one, so
 * no other measurement's keys are counted). Every key, whatever its name:
 * nothing here knows how a target names its records.
 */
import { Redis } from 'ioredis';

export async function redisDatabaseBytes(redisUrl: string): Promise<{ bytes: number; keys: number }> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let bytes = 0;
    let keys = 0;
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        // SAMPLES 0: every element of a collection counted, not an estimate from a sample.
        const usage = (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number | null;
        if (usage === null) continue; // gone between SCAN and now
        bytes += usage;
        keys += 1;
      }
    } while (cursor !== '0');
    return { bytes, keys };
  } finally {
    redis.disconnect();
  }
}
