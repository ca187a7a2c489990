/**
 * A scenario that plays its user in a browser, on a machine without
 * chromium: the cell is not judged (a harness error that says why), never
 * run with the HTTP user agent and reported as if a browser had.
 */
import { expect, test } from 'vitest';
import { createRunFolder } from '../core/run-folder.ts';
import { PASSES } from '../core/expectations.ts';
import type { Scenario } from '../core/scenario.ts';
import { defaultTarget } from '../deploy/target/default-target.ts';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import { runCell } from './run-cell.ts';

test('a browser scenario without chromium is a harness error naming why, and starts no process', async () => {
  const scenario: Scenario = {
    name: 'browser-split',
    description: 'split-process in a browser',
    topology: 'split-process',
    workload: { flows: 1, concurrency: 1 },
    faultsBetweenStartAndCallback: [],
    expect: { process: PASSES, host: PASSES, hosts: PASSES },
    userAgent: 'browser',
  };
  const cell = await runCell({
    scenario,
    store: 'memory',
    expected: PASSES,
    target: defaultTarget,
    // Never reached: the cell stops before deploying.
    mock: {} as MockAtlassian,
    run: createRunFolder(undefined, 'gate-browser-missing'),
    browserMissing: 'chromium not installed (apt-get install chromium): browser rows not run',
  });
  expect(cell.matched).toBe('unknown');
  expect(cell.harnessError).toBe('chromium not installed (apt-get install chromium): browser rows not run: scenario browser-split plays the user in a real browser');
  expect(cell.processes).toEqual([]);
});
