/**
 * measureDurableWrites through real processes: strace attached to a
 * deployment counts the sync calls its flows make. The memory store makes
 * none; atomic-file (write, fsync, rename under a lock) makes some on every
 * flow, and its bound is finite. How many, and how long each takes, is the
 * bench report's business.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureDurableWrites, type DurableWrites } from './durable-writes.ts';

let run: RunFolder;
let mock: MockAtlassian;
let measured: { results: DurableWrites[]; errors: string[] };

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-durable-writes');
  mock = await MockAtlassian.start(run.logDir);
  measured = await measureDurableWrites({ run, mock, target: defaultTarget, stores: ['memory', 'atomic-file'], quick: true }, ['memory', 'atomic-file'], 4);
}, 60_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test('both stores measured, no error', () => {
  expect(measured.errors, `logs in ${run.dir}`).toEqual([]);
  expect(measured.results.map((r) => r.store)).toEqual(['memory', 'atomic-file']);
});

test('memory syncs nothing: no bound', () => {
  const memory = measured.results.find((r) => r.store === 'memory')!;
  expect(memory.syncsPerFlow).toBe(0);
  expect(memory.boundFlowsPerSecond).toBeUndefined();
});

test('atomic-file syncs on every flow, its syncs take time, and the bound follows from it', () => {
  const atomic = measured.results.find((r) => r.store === 'atomic-file')!;
  expect(atomic.syncsPerFlow).toBeGreaterThanOrEqual(1);
  expect(atomic.syncMsPerFlow).toBeGreaterThan(0);
  expect(atomic.boundFlowsPerSecond).toBeCloseTo(1000 / atomic.syncMsPerFlow);
});
