/**
 * "No local file, so the file faults are n/a" must be seen, not inferred
 * from a store that could not even be opened: the redis
 * store is given the run's server and the sealed-state store a state it
 * minted, and both are watched leaving nothing on disk. Without a server,
 * nothing was seen, and the file faults are unknown for it, not n/a.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RedisServer, REDIS_INSTALL_HINT, redisServerAvailable } from '../../deploy/services/redis-server.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createFaultContext } from './fault-context.ts';
import { profileStore, withoutLocalFile } from './store-disk-profile.ts';

const runDir = mkdtempSync(path.join(os.tmpdir(), 'store-profile-'));
chmodSync(runDir, 0o755);
let redis: RedisServer;

beforeAll(async () => {
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
  redis = await RedisServer.start({ logDir: path.join(runDir, 'logs'), name: 'store-profile-redis' });
}, 20_000);

afterAll(async () => {
  await redis?.stop();
  await stopAllChildren({ graceMs: 100 });
  rmSync(runDir, { recursive: true, force: true });
});

test.each([
  ['redis with the run\'s server', 'redis', true],
  ['sealed-state, given a state it minted', 'sealed-state', false],
] as const)('%s: opened, puts acknowledged, nothing on disk → n/a', async (_name, store, needsServer) => {
  const ctx = createFaultContext({ store, runDir: path.join(runDir, store), quick: true, ...(needsServer ? { redisUrl: redis.url } : {}) });
  const profile = await profileStore(ctx);
  expect(profile).toMatchObject({ hasLocalFile: false, seenWithoutFile: true, reason: 'no local file: a put left no file on disk' });
  expect(withoutLocalFile(profile).status).toBe('not-applicable');
}, 30_000);

test('redis without a server: nothing was seen, so the file faults are unknown, not n/a', async () => {
  const ctx = createFaultContext({ store: 'redis', runDir: path.join(runDir, 'redis-no-server'), quick: true });
  const profile = await profileStore(ctx);
  expect(profile).toMatchObject({ hasLocalFile: false, seenWithoutFile: false });
  expect(withoutLocalFile(profile)).toMatchObject({ status: 'unknown', reason: expect.stringMatching(/^not observed: no local file: the store could not be opened/) });
}, 30_000);
