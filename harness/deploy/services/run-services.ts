/**
 * harness/deploy/services/: servers a run starts beside the target: the mock Atlassian process and redis-server.
 *
 * Servers a run starts for the target's stores (today: one redis-server for
 * the stores that need it), recorded in run.services for every deployment.
 */
import { REDIS_INSTALL_HINT, RedisServer, redisServerAvailable } from './redis-server.ts';
import type { TargetDescription } from '../target/target-description.ts';
import type { RunFolder } from '../../core/run-folder.ts';

export interface RunServicesHandle {
  /** Stores left out because what they need is not installed, and why. */
  skipped: { stores: string[]; why: string }[];
  stop(): Promise<void>;
}

/**
 * With `required`, a missing redis-server is an error (the gate must cover
 * the redis rows); without it, those stores are skipped and the reason kept.
 */
export async function startRunServices(
  run: RunFolder,
  target: Pick<TargetDescription, 'stores'>,
  stores: readonly string[],
  options: { required?: boolean; onProgress?: (message: string) => void } = {},
): Promise<RunServicesHandle> {
  const needRedis = [...new Set(stores.filter((store) => target.stores[store]?.needsRedis))];
  if (needRedis.length === 0) return { skipped: [], stop: async () => undefined };
  if (!redisServerAvailable() && !options.required) {
    return { skipped: [{ stores: needRedis, why: REDIS_INSTALL_HINT }], stop: async () => undefined };
  }
  const redis = await RedisServer.start({ logDir: run.logDir });
  run.services.redisUrl = redis.url;
  options.onProgress?.(`redis-server up at ${redis.url} (pid ${redis.pid})`);
  return { skipped: [], stop: () => redis.stop().catch(() => undefined) };
}
