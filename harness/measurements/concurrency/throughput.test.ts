/**
 * Throughput against the ceiling through real processes, kept small: only
 * what does not depend on timing is asserted (every level has a ceiling and
 * a ratio, one at a time through sqlite loses nothing and uses no state
 * twice, the chart has one series per store with a point per level). The
 * ratios themselves are the report's business, not the gate's.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureThroughput, THROUGHPUT_LEVELS, type StoreThroughput } from './throughput.ts';
import { throughputChartInput } from './throughput-chart.ts';

let run: RunFolder;
let mock: MockAtlassian;
let result: StoreThroughput[];

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-throughput');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureThroughput({ run, mock, target: defaultTarget, stores: ['memory', 'sqlite'], quick: true }, { 1: 2, 4: 4, 16: 4, 64: 4 });
}, 90_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test('memory is the ceiling, not a row: its split-process rate would measure failures', () => {
  expect(result.map((s) => s.store)).toEqual(['sqlite']);
});

test('sqlite at every level: flows counted, the ceiling run twice, a ratio to it', () => {
  const [sqlite] = result;
  expect(sqlite?.error, `logs in ${run.dir}`).toBeUndefined();
  expect(sqlite!.levels.map((l) => l.concurrency)).toEqual([...THROUGHPUT_LEVELS]);
  for (const level of sqlite!.levels) {
    expect(level.ceilingRuns).toHaveLength(2);
    expect(level.ceilingRuns.every((r) => r.passed === r.flows)).toBe(true);
    expect(level.ratioToCeiling).toBeGreaterThan(0);
  }
  expect(sqlite!.lost).toBe(0);
  expect(sqlite!.doubleUsed).toBe(0);
  expect(sqlite!.ratioAt64).toBe(sqlite!.levels[3]!.ratioToCeiling);
});

test('the chart: one series per store, a point per level, on the ratio scale', () => {
  const chart = throughputChartInput(result, true);
  expect(chart.series.map((s) => s.name)).toEqual(['sqlite']);
  expect(chart.series[0]!.points.map((p) => p.x)).toEqual([...THROUGHPUT_LEVELS]);
  expect(chart.xNote).toContain('2 / 4 / 4 / 4');
});
