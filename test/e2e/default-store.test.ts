/**
 * The default store of src/ must pass every scenario that applies to it.
 * Which store that is, is asked of a real tool process started with no
 * SESSION_STORE; each scenario then must expect a pass for it (a one-host
 * store is excused only from topologies with no shared host, and only with
 * the reason stated), and scenarios.test.ts asserts each expectation through
 * real processes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { measureDefaultStore } from '../../harness/measurements/default-store/src-default-store.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../harness/core/run-folder.ts';
import { expectationFor, NO_SHARED_DISK, PASSES } from '../../harness/core/expectations.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { defaultTarget } from '../../harness/deploy/target/default-target.ts';
import { TOPOLOGIES } from '../../harness/core/topologies.ts';

let run: RunFolder;
let mock: MockAtlassian;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-default-store');
  mock = await MockAtlassian.start(run.logDir);
});

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 300 });
});

test('the unconfigured tool process uses a store every applicable scenario expects to pass', async () => {
  const { store } = await measureDefaultStore({ run, mock, target: defaultTarget, stores: [], quick: true });
  expect(Object.keys(defaultTarget.stores)).toContain(store);
  expect(defaultTarget.stores[store]?.needs ?? [], 'the default must need no server and no configuration').toEqual([]);
  for (const scenario of await loadScenarios()) {
    const sharesHost = TOPOLOGIES[scenario.topology].callbackHost === 'a';
    expect(expectationFor(scenario, store, defaultTarget.stores[store]), `${scenario.name} × ${store}`).toEqual(sharesHost ? PASSES : NO_SHARED_DISK);
  }
});
