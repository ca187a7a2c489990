/**
 * Flows at once through two replicas of src/'s remote mode, for real: the
 * memory design loses every flow (each replica its own Map), redis loses
 * none, and each level's flows are counted, with what the lost ones lost.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../../deploy/services/run-services.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import type { RemoteLoadResult } from './remote-load-result.ts';
import { QUICK_LEVELS, flowsAtLevel, runRemoteLoad } from './run-remote-load.ts';

let run: RunFolder;
let mock: MockAtlassian;
let services: RunServicesHandle | undefined;
let result: RemoteLoadResult;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-remote-load');
  services = await startRunServices(run, defaultTarget, ['redis'], { required: true });
  mock = await MockAtlassian.start(run.logDir);
  result = await runRemoteLoad({ run, mock, target: defaultTarget, stores: ['memory', 'redis'], quick: true });
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  await services?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test('every quick level ran with its flows, through two replicas on one shared host', () => {
  expect(result).toMatchObject({ quick: true, replicas: 2, policy: 'roundrobin', hosts: 'shared' });
  for (const store of result.stores) {
    expect(store.harnessError).toBeUndefined();
    expect(store.levels.map((level) => [level.concurrency, level.flows])).toEqual(QUICK_LEVELS.map((level) => [level, flowsAtLevel(level, true)]));
  }
});

test('memory loses every flow, each with what it lost; redis completes every one', () => {
  const memory = result.stores.find((s) => s.store === 'memory')!;
  for (const level of memory.levels) {
    expect(level.completed).toBe(0);
    expect(Object.values(level.lost).reduce((sum, n) => sum + (n ?? 0), 0) + level.incomplete).toBe(level.flows);
    expect(level.incomplete).toBe(0);
  }
  const redis = result.stores.find((s) => s.store === 'redis')!;
  for (const level of redis.levels) {
    expect(level.completed).toBe(level.flows);
    expect(level.p50Ms).toBeGreaterThan(0);
  }
});
