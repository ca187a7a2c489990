/**
 * C5 across replicas on src/'s remote mode, for real: the file design's
 * bytes per remote flow on the replicas' shared host, measured over the
 * quick run's flows; the memory design completes no flow through replicas
 * taking turns, so it has no figure; Redis leaves nothing on the host and
 * its records are weighed in the server instead.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../../deploy/services/run-services.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { remoteFootprintMeasurement } from './remote-footprint-measurement.ts';
import type { RemoteFootprintResult } from './remote-footprint-result.ts';
import { flowsMeasured, runRemoteFootprint } from './run-remote-footprint.ts';

const STORES = ['memory', 'json-file', 'redis'];
let run: RunFolder;
let mock: MockAtlassian;
let services: RunServicesHandle | undefined;
let result: RemoteFootprintResult;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-remote-footprint');
  services = await startRunServices(run, defaultTarget, STORES, { required: true });
  mock = await MockAtlassian.start(run.logDir);
  result = await runRemoteFootprint({ run, mock, target: defaultTarget, stores: STORES, quick: true });
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  await services?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const judged = (store: string) => remoteFootprintMeasurement.check(result, { cells: [], stores: STORES, writeUp: {} }).published!['remote-footprint']!.judged.find((j) => j.store === store)!;

test('json-file: every flow completed, and a remote flow leaves more than 250 B in the shared file', () => {
  const file = result.stores.find((s) => s.store === 'json-file')!;
  expect(file).toMatchObject({ flows: 1 + flowsMeasured(true), completed: 1 + flowsMeasured(true) });
  expect(file.disk!.afterAll.bytes).toBeGreaterThan(file.disk!.afterFirst.bytes);
  expect(judged('json-file')).toMatchObject({ verdict: 'does not hold', overFlows: flowsMeasured(true), diskBytesPerFlow: expect.any(Number) });
  expect(judged('json-file').diskBytesPerFlow).toBeGreaterThan(250);
});

test('memory: no flow completes through replicas taking turns, so no figure', () => {
  expect(judged('memory')).toMatchObject({ verdict: 'unknown', why: expect.stringMatching(/every flow completed/) });
});

test('redis: nothing on the host, its records weighed in the server', () => {
  const redis = judged('redis');
  expect(redis).toMatchObject({ verdict: 'n/a', why: expect.stringMatching(/no file under the hosts' folders changed/) });
  expect(redis.redisBytesPerFlow).toBeGreaterThan(0);
});
