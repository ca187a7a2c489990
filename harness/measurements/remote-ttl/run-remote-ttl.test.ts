/**
 * C6 across replicas on src/'s remote mode, for real: two replicas on one
 * virtual clock. The file design completes at 14:59 and is refused at the
 * provider callback at 15:01; the memory design cannot complete a flow
 * through replicas taking turns, so its TTL is unknown, never a pass.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../../deploy/services/run-services.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { remoteTtlMeasurement } from './remote-ttl-measurement.ts';
import type { RemoteTtlResult } from './remote-ttl-result.ts';
import { runRemoteTtl } from './run-remote-ttl.ts';

const STORES = ['memory', 'json-file', 'redis'];
let run: RunFolder;
let mock: MockAtlassian;
let services: RunServicesHandle | undefined;
let result: RemoteTtlResult;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-remote-ttl');
  services = await startRunServices(run, defaultTarget, STORES, { required: true });
  mock = await MockAtlassian.start(run.logDir);
  result = await runRemoteTtl({ run, mock, target: defaultTarget, stores: STORES, quick: true });
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  await services?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const judged = (store: string) => remoteTtlMeasurement.check(result, { cells: [], stores: STORES, writeUp: {} }).published!['remote-ttl']!.judged.find((j) => j.store === store)!;

test('json-file and redis: 14:59 completes, 15:01 is refused at the provider callback, across two replicas', () => {
  expect(result).toMatchObject({ replicas: 2, policy: 'roundrobin', hosts: 'shared', ttlMs: 15 * 60_000 });
  for (const store of ['json-file', 'redis']) {
    const measured = result.stores.find((s) => s.store === store)!;
    expect(measured.harnessError).toBeUndefined();
    expect(measured.baseline!.outcome).toEqual({ outcome: 'completed' });
    expect(measured.before).toMatchObject({ clockMoved: true, outcome: { outcome: 'completed' } });
    expect(measured.after).toMatchObject({ clockMoved: true, outcome: { outcome: 'broken', lost: 'authorize-state', kind: 'provider-callback' }, callback: { status: 400 } });
    expect(judged(store)).toMatchObject({ verdict: 'holds' });
  }
});

test('memory: the baseline breaks through replicas taking turns, so its TTL is unknown with why', () => {
  const memory = result.stores.find((s) => s.store === 'memory')!;
  expect(memory.baseline!.outcome.outcome).toBe('broken');
  expect(judged('memory')).toMatchObject({ verdict: 'unknown', why: expect.stringMatching(/^the baseline flow \(no clock move\) did not complete/) });
});
