/**
 * measureLoad's C8 half through real processes, kept small: only what does
 * not depend on timing is asserted (one flow at a time through json-file
 * always completes; every flow of a level is accounted for; memory split
 * across processes is measured for its success rate but never rated). The
 * loss rates under load are the report's business, not the gate's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureLoad, type LoadResult } from './throughput.ts';

let run: RunFolder;
let mock: MockAtlassian;
let result: LoadResult;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-c8-load');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureLoad({ run, mock, target: defaultTarget, stores: ['memory', 'json-file'], quick: true }, { 1: 3, 4: 8, 16: 0, 64: 0 });
}, 60_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const storeOf = (name: string) => result.concurrency.stores.find((s) => s.store === name)!;

test('json-file, one flow at a time through two processes: every state found, every token handed over', () => {
  const store = storeOf('json-file');
  expect(store.error, `logs in ${run.dir}`).toBeUndefined();
  expect(store.processes.map((p) => p.role).sort()).toEqual(['callback', 'tool']);
  expect(store.levels[0]).toMatchObject({ concurrency: 1, flows: 3, passed: 3, stateLookupRate: 1, tokenHandoffRate: 1, flowRate: 1, errors: [] });
});

test('at 4 at once every flow is accounted for: passed, or failed at a named stage; a level with 0 flows is not run', () => {
  const levels = storeOf('json-file').levels;
  expect(levels.map((l) => l.concurrency)).toEqual([1, 4]);
  const level = levels[1]!;
  expect(level.flows).toBe(8);
  const failed = level.errors.reduce((sum, e) => sum + e.count, 0);
  expect(level.passed + failed).toBe(8);
  expect(level.flowRate).toBe(level.passed / 8);
});

test('memory split across processes: in C8 with every state lost, never a throughput row', () => {
  expect(storeOf('memory').levels[0]).toMatchObject({ concurrency: 1, flows: 3, passed: 0, stateLookupRate: 0 });
  expect(result.throughput.map((s) => s.store)).toEqual(['json-file']);
  // The same flows, read twice: the throughput level counts what C8's level counts.
  expect(result.throughput[0]!.levels.map((l) => [l.flows, l.passed])).toEqual(storeOf('json-file').levels.map((l) => [l.flows, l.passed]));
});
