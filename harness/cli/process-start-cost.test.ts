import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { DEFAULT_TARGET_FILE } from '../deploy/target/default-target-file.ts';
import { loadTarget } from '../deploy/target/load-target.ts';
import { countDriversOfRun, countFlowsOfRun, countProcessKinds, flowCpuTotal, measureFlowCost, measureStartCost } from './process-start-cost.ts';
import { processCpuMs } from '../deploy/process/process-cpu.ts';

describe('countProcessKinds', () => {
  test('one process per log, by the names a run gives them', () => {
    const logs = [
      'atlassian-mock.log',
      'redis-server.log',
      'preflight.single-process.tool.log',
      'preflight.split-process.tool.log',
      'preflight.split-process.callback.log',
      'single-process.memory.tool.log',
      'split-process.sqlite.tool.log',
      'split-process.sqlite.callback.log',
      'callback-restart.json-file.tool.log',
      'callback-restart.json-file.callback.log',
      'callback-restart.json-file.callback-2.log',
      'isolated.redis.tool.log',
      'isolated.redis.callback.log',
      'browser-flow.single-process.atomic-file.tool.log',
      'target-build.log',
    ];
    expect(countProcessKinds(logs)).toEqual({ tool: 4, callback: 5, both: 3 });
  });

  test('a scenario whose name merely contains "single-process" is not one process', () => {
    expect(countProcessKinds(['not-single-process.memory.tool.log'])).toEqual({ tool: 1, callback: 0, both: 0 });
  });
});

test('processCpuMs reads a live process: this one has used some CPU', () => {
  expect(processCpuMs(process.pid)).toBeGreaterThan(0);
});

test('measureStartCost starts each kind of src process and reads its CPU at readiness, leaving runs/ alone', { timeout: 30_000 }, async () => {
  // Run folders are named <stamp>-<pid>[-label]; this worker's files run one after another, so a new one with this pid would be measureStartCost's.
  const runs = path.join(PROJECT_ROOT, 'runs');
  const ours = () => (existsSync(runs) ? readdirSync(runs).filter((name) => name.includes(`-${process.pid}`)) : []);
  const before = ours();
  const cost = await measureStartCost(await loadTarget(DEFAULT_TARGET_FILE), 'memory', 1);
  for (const kind of ['tool', 'callback', 'both'] as const) {
    expect(cost[kind]).toHaveLength(1);
    // A Node process that loaded a server and answered has used CPU; the bound only catches a unit mistake (ticks read as ms × 10).
    expect(cost[kind][0]).toBeGreaterThan(0);
    expect(cost[kind][0]).toBeLessThan(20_000);
  }
  // Each deployment's processes were reaped, so their whole life was read: the part after readiness is a cost too, never negative.
  expect(cost.afterReadyMs).toHaveLength(2);
  for (const ms of cost.afterReadyMs) expect(ms).toBeGreaterThanOrEqual(0);
  expect(ours()).toEqual(before);
});

test('measureFlowCost reads every side of a first flow and of warm flows; a flow costs the harness, the mock and the target something', { timeout: 30_000 }, async () => {
  const cost = await measureFlowCost(await loadTarget(DEFAULT_TARGET_FILE), 'memory', 1, 3);
  expect(cost.cold).toHaveLength(1);
  expect(cost.warmFlows).toBe(3);
  for (const cpu of [...cost.cold, cost.warm]) {
    expect(cpu.harnessMs).toBeGreaterThan(0);
    expect(cpu.targetMs + cpu.mockMs).toBeGreaterThan(0);
    expect(flowCpuTotal(cpu)).toBeLessThan(5_000);
  }
});

test("a run's flows and store drivers are counted from its folder: start_oauth invocations in any history, driver logs without strace's", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'count-run-'));
  mkdirSync(path.join(dir, 'history'));
  mkdirSync(path.join(dir, 'faults'));
  mkdirSync(path.join(dir, 'logs'));
  const invoke = (flow: number) => JSON.stringify({ f: 'start_oauth', flow, type: 'invoke' });
  writeFileSync(path.join(dir, 'history', 'a.jsonl'), [invoke(1), JSON.stringify({ f: 'start_oauth', flow: 1, type: 'ok' }), invoke(2)].join('\n'));
  writeFileSync(path.join(dir, 'faults', 'history.jsonl'), `${invoke(3)}\n`);
  for (const log of ['faults-json-file-profile.log', 'faults-json-file-crash-kill-001.log', 'faults-json-file-crash-kill-001-strace.log', 'isolated.memory.tool.log']) writeFileSync(path.join(dir, 'logs', log), '');
  expect(countFlowsOfRun(dir)).toBe(3);
  expect(countDriversOfRun(dir)).toBe(2);
  rmSync(dir, { recursive: true });
});
