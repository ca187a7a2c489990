/**
 * The CI gate's end-to-end half: one test per scenario × store, through real
 * processes (mock Atlassian, tool process, callback process), asserting the
 * outcome the scenario file declares. A store expected to fail is asserted
 * to fail, at the declared stage, with the declared message: when the
 * reproduction stops reproducing, the gate goes red.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { plannedCells } from '../../harness/engine/run-battery.ts';
import { createRunFolder, type RunFolder } from '../../harness/core/run-folder.ts';
import { startRunServices, type RunServicesHandle } from '../../harness/deploy/services/run-services.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { runCell } from '../../harness/engine/run-cell.ts';
import { defaultTarget } from '../../harness/deploy/target/default-target.ts';

const scenarios = await loadScenarios();
let run: RunFolder;
let mock: MockAtlassian;
let services: RunServicesHandle | undefined;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate');
  // Required: the gate covers the redis rows (.ci/run installs redis-server); a missing one fails loudly.
  services = await startRunServices(run, defaultTarget, plannedCells(scenarios, defaultTarget).map((c) => c.store), { required: true });
  mock = await MockAtlassian.start(run.logDir);
});

afterAll(async () => {
  await mock?.stop();
  await services?.stop();
  await stopAllChildren({ graceMs: 500 });
});

describe.concurrent('scenario × store through real processes', () => {
  for (const { scenario, store, expected } of plannedCells(scenarios, defaultTarget)) {
    const title = `${scenario.name} × ${store}: ${expected.outcome === 'pass' ? 'every flow completes' : `every flow fails at ${expected.stage}`}`;
    test(title, async () => {
      const cell = await runCell({ scenario, store, expected, target: defaultTarget, mock, run });
      expect(cell.harnessError, `harness error; logs in ${run.dir}`).toBeUndefined();
      expect(cell.flows).toBe(scenario.workload.flows);
      if (expected.outcome === 'pass') {
        expect(cell.errors).toEqual([]);
        expect(cell.stateLookups).toEqual({ ok: cell.flows, failed: 0 });
        expect(cell.tokenHandoffs).toEqual({ ok: cell.flows, failed: 0, superseded: 0, notObservable: 0 });
      } else {
        expect(cell.observed).toMatchObject({ outcome: 'fail', stage: expected.stage });
        expect(cell.errors).toEqual([{ stage: expected.stage, message: expected.message, count: cell.flows }]);
      }
      expect(cell.matched, JSON.stringify(cell.checkers)).toBe(true);
    });
  }
});
