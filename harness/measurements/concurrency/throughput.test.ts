/**
 * measureLoad through real processes, kept small: only what does not depend
 * on timing is asserted. Throughput: every level has a ceiling and a ratio,
 * sqlite loses nothing and uses no state twice, the chart has one series per
 * rated store with a point per level. C8: one flow at a time through
 * json-file always completes, every flow of a level is accounted for, memory
 * split across processes is measured for its success rate but never rated.
 * The ratios and loss rates under load are the report's business, not the gate's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureLoad, type LoadPlan, type LoadResult } from './throughput.ts';
import { throughputChartInput } from './throughput-chart.ts';

let run: RunFolder;
let mock: MockAtlassian;
let result: LoadResult;
const LEVELS = [1, 4, 16, 64];
const PLAN: LoadPlan = { levels: [3, 8, 4, 4].map((flows, i) => ({ concurrency: LEVELS[i]!, flows })), rated: true };

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-load');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureLoad({ run, mock, target: defaultTarget, stores: ['memory', 'json-file', 'sqlite'], quick: true }, PLAN);
}, 90_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const c8Of = (name: string) => result.concurrency.stores.find((s) => s.store === name)!;

test('memory is the ceiling, not a throughput row: its split-process rate would measure failures', () => {
  expect(result.throughput.map((s) => s.store)).toEqual(['json-file', 'sqlite']);
});

test('sqlite at every level: flows counted, a ceiling burst just before it and just after it, a ratio to their mean', () => {
  const sqlite = result.throughput.find((s) => s.store === 'sqlite');
  expect(sqlite?.error, `logs in ${run.dir}`).toBeUndefined();
  expect(sqlite!.levels.map((l) => l.concurrency)).toEqual(LEVELS);
  for (const level of sqlite!.levels) {
    expect(level.ceilingRuns).toHaveLength(2);
    expect(level.ceilingRuns.every((r) => r.passed === r.flows)).toBe(true);
    expect(level.ratioToCeiling).toBeGreaterThan(0);
  }
  expect(sqlite!.lost).toBe(0);
  expect(sqlite!.doubleUsed).toBe(0);
  expect(sqlite!.ratioAt64).toBe(sqlite!.levels[3]!.ratioToCeiling);
  // The burst after json-file (run just before sqlite) is the one before sqlite: each store is rated against the ceiling beside it.
  const jsonFile = result.throughput.find((s) => s.store === 'json-file')!;
  for (const [i, level] of sqlite!.levels.entries()) {
    expect(level.ceilingRuns[0]).toEqual(jsonFile.levels[i]!.ceilingRuns[1]);
    expect(level.ratioToCeiling).toBeCloseTo(level.flowsPerSecond / ((level.ceilingRuns[0]!.flowsPerSecond + level.ceilingRuns[1]!.flowsPerSecond) / 2));
  }
});

test('the chart: one series per rated store, a point per level, on the ratio scale', () => {
  const chart = throughputChartInput(result.throughput, true);
  expect(chart.series.map((s) => s.name)).toEqual(['json-file', 'sqlite']);
  expect(chart.series[0]!.points.map((p) => p.x)).toEqual(LEVELS);
  expect(chart.xNote).toContain('3 / 8 / 4 / 4');
});

test('C8, json-file one flow at a time through two processes: every state found, every token handed over', () => {
  const store = c8Of('json-file');
  expect(store.error, `logs in ${run.dir}`).toBeUndefined();
  expect(store.processes.map((p) => p.role).sort()).toEqual(['callback', 'tool']);
  expect(store.levels[0]).toMatchObject({ concurrency: 1, flows: 3, passed: 3, stateLookupRate: 1, tokenHandoffRate: 1, flowRate: 1, errors: [] });
});

test('C8, at 4 at once every flow is accounted for: passed, or failed at a named stage', () => {
  const level = c8Of('json-file').levels[1]!;
  expect(level.flows).toBe(8);
  const failed = level.errors.reduce((sum, e) => sum + e.count, 0);
  expect(level.passed + failed).toBe(8);
  expect(level.flowRate).toBe(level.passed / 8);
});

test('C8, every level carries its overlap from the same history; 4 flows cannot make 64 at once, and the level says so', () => {
  for (const level of c8Of('json-file').levels) {
    expect(level.overlap, `${level.concurrency} at once`).toBeDefined();
    expect(level.overlap!.windows).toBeLessThanOrEqual(level.flows);
    expect(level.overlap!.maxInFlight).toBeLessThanOrEqual(Math.min(level.concurrency, level.flows));
  }
  const at64 = c8Of('json-file').levels.find((l) => l.concurrency === 64)!;
  expect(at64.overlap).toMatchObject({ nominalReached: false });
  expect(c8Of('json-file').levels[0]!.overlap).toMatchObject({ maxInFlight: 1, nominalReached: true });
});

test('C8, memory split across processes: every state lost; the same flows read twice for the rated stores', () => {
  expect(c8Of('memory').levels[0]).toMatchObject({ concurrency: 1, flows: 3, passed: 0, stateLookupRate: 0 });
  const sqlite = result.throughput.find((s) => s.store === 'sqlite')!;
  expect(sqlite.levels.map((l) => [l.flows, l.passed])).toEqual(c8Of('sqlite').levels.map((l) => [l.flows, l.passed]));
});

test('an unrated plan (the quick one) runs no ceiling and rates no store, but measures every level for C8', async () => {
  const unrated = await measureLoad({ run, mock, target: defaultTarget, stores: ['sqlite'], quick: true }, { levels: [{ concurrency: 1, flows: 1 }, { concurrency: 2, flows: 4 }], rated: false });
  expect(unrated.throughput).toEqual([]);
  expect(unrated.concurrency.stores[0]!.levels.map((l) => [l.concurrency, l.flows, l.passed])).toEqual([[1, 1, 1], [2, 4, 4]]);
}, 60_000);
