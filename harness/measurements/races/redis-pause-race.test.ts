/**
 * Regression: redis "passed" both forced races because
 * the write gate could not see its writes, so nothing was ever forced. The
 * race is now forced at the server (writes paused); a racy implementation
 * shows it can fail, src/'s store shows it does not.
 */
import { History } from '../../core/history.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REDIS_INSTALL_HINT, redisServerAvailable } from '../../deploy/services/redis-server.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { forceRedisRace } from './redis-pause-race.ts';
import { openRacyRedisStore } from './test-fixtures/racy-redis-store.ts';

const logDir = mkdtempSync(path.join(os.tmpdir(), 'redis-pause-race-'));

beforeAll(() => {
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
});
afterAll(async () => {
  await stopAllChildren({ graceMs: 200 });
  rmSync(logDir, { recursive: true, force: true });
});

describe("src/'s redis store with the server's writes paused", () => {
  test.each(['double-use', 'lost-update'] as const)('%s: both operations held, and prevented', async (kind) => {
    const history = new History();
    const race = await forceRedisRace(kind, { logDir, history });
    expect(race.status, race.detail).toBe('prevented');
    expect(race.held).toBe(2);
    // The nemesis's operations are in the history, with what it held.
    expect(history.ops.map((op) => [op.f, op.process])).toEqual([
      ['client-pause', 'nemesis'],
      ['client-pause-ended', 'nemesis'],
    ]);
    expect(history.ops[1]!.value).toMatchObject({ held: 2 });
  }, 20_000);
});

describe('a racy GET-then-SET Redis store under the same nemesis', () => {
  test.each(['double-use', 'lost-update'] as const)('%s: reproduced', async (kind) => {
    const race = await forceRedisRace(kind, { logDir, openStore: openRacyRedisStore });
    expect(race.status, race.detail).toBe('reproduced');
  }, 20_000);
});
