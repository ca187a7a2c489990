/**
 * measureConcurrency through real processes, kept small: only what does not
 * depend on timing is asserted (one flow at a time through json-file always
 * completes; every flow of a level is accounted for). The loss rates under
 * load are the report's business, not the gate's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { measureConcurrency } from './measure-concurrency.ts';

let run: RunFolder;
let mock: MockAtlassian;
let result: ConcurrencyResult;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-c8-concurrency');
  mock = await MockAtlassian.start(run.logDir);
  const plan = [
    { concurrency: 1, flows: 3 },
    { concurrency: 4, flows: 8 },
  ];
  result = await measureConcurrency({ run, mock, target: defaultTarget, stores: ['json-file'], quick: true }, plan);
}, 60_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test('json-file, one flow at a time through two processes: every state found, every token handed over', () => {
  const [store] = result.stores;
  expect(store?.error, `logs in ${run.dir}`).toBeUndefined();
  expect(store!.processes.map((p) => p.role).sort()).toEqual(['callback', 'tool']);
  expect(store!.levels[0]).toMatchObject({ concurrency: 1, flows: 3, passed: 3, stateLookupRate: 1, tokenHandoffRate: 1, flowRate: 1, errors: [] });
});

test('at 4 at once every flow is accounted for: passed, or failed at a named stage', () => {
  const level = result.stores[0]!.levels[1]!;
  expect(level.flows).toBe(8);
  const failed = level.errors.reduce((sum, e) => sum + e.count, 0);
  expect(level.passed + failed).toBe(8);
  expect(level.flowRate).toBe(level.passed / 8);
});
