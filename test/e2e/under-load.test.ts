/**
 * The gate under load: the scenario table and the hostile battery, with a
 * bounded CPU burner keeping every core busy for the whole file, must reach
 * the verdicts a quiet machine reaches (every cell as its scenario expects,
 * every hostile row as its expectation says) and no harness error.
 *
 * Regression pinned here: on a loaded machine one `fetch failed` while
 * starting a deployment marked a whole store's hostile cases unknown, a
 * retry reused a label ("already used in this run"), and a fixed 2 s health
 * timeout called a live process down, so the gate failed on the harness's
 * own trouble.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { startCpuBurner, type CpuBurner } from '../../harness/deploy/process/cpu-burner.ts';
import { plannedCells } from '../../harness/engine/run-battery.ts';
import { createRunFolder, type RunFolder } from '../../harness/core/run-folder.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { runCell } from '../../harness/engine/run-cell.ts';
import { inPool } from '../../harness/core/in-pool.ts';
import { paceOfCells } from '../../harness/core/pace.ts';
import { defaultTarget } from '../../harness/deploy/target/default-target.ts';
import type { CellResult } from '../../harness/core/cell-result.ts';
import { measureHostileInput, type HostileInputResult } from '../../harness/measurements/hostile-input/measure-hostile-input.ts';
import { hostileRows } from '../../harness/measurements/hostile-input/hostile-rows.ts';
import { rowExpectations } from '../../harness/results/row-expectations.ts';
import { rowCases, scenarioCases } from '../../harness/results/gate-verdict.ts';
import { FLOW_BASELINE, JUDGED_OVERHEAD_FLOWS, measureFlowOverhead, type FlowOverheadResult } from '../../harness/measurements/store-bench/flow-overhead.ts';
import { c7FlowSide, WRITE_UP_STORE } from '../../harness/measurements/store-bench/store-claims.ts';

/** The file-backed designs whose flaws are the subject, and a store that must hold: no server (redis) needed. */
const STORES = ['memory', 'json-file', 'atomic-file'];

const scenarios = await loadScenarios();
let run: RunFolder;
let mock: MockAtlassian;
let burner: CpuBurner;
let burnt: { cpuMs: number; wallMs: number; workers: number };
const cells: CellResult[] = [];
let hostile: HostileInputResult;
/** C7's whole-flow ratio measured on the quiet machine, then again with the burner running. */
const c7: { quiet?: FlowOverheadResult; loaded?: FlowOverheadResult } = {};
const overhead = () => measureFlowOverhead({ run, mock, target: defaultTarget, stores: [FLOW_BASELINE.store, WRITE_UP_STORE], quick: true }, undefined, { stores: [FLOW_BASELINE.store, WRITE_UP_STORE], flows: JUDGED_OVERHEAD_FLOWS });

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-under-load');
  mock = await MockAtlassian.start(run.logDir);
  c7.quiet = await overhead();
  // Bounded twice: stopped in this hook once the work is done, and ending on its own after 5 minutes whatever happens.
  burner = await startCpuBurner({ logDir: run.logDir, maxMs: 5 * 60_000 });
  try {
    await inPool(plannedCells(scenarios, defaultTarget, STORES), 4, async ({ scenario, store, expected }) => {
      cells.push(await runCell({ scenario, store, expected, target: defaultTarget, mock, run }));
    });
    hostile = await measureHostileInput({ run, mock, target: defaultTarget, stores: STORES, quick: true, pace: paceOfCells(cells) });
    c7.loaded = await overhead();
  } finally {
    burnt = await burner.stop();
  }
}, 280_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

describe('the scenario table and the hostile battery with every core kept busy', () => {
  test('the burners really had the CPU (the load was there)', () => {
    // Each burner is a core's worth of demand; on a machine busy with the cells too, each still gets a share.
    expect(burnt.cpuMs, `burners got ${burnt.cpuMs} ms of CPU in ${burnt.wallMs} ms`).toBeGreaterThan(0.2 * burnt.wallMs);
  });

  test("C7's whole-flow verdict is the same with every core busy as on the quiet machine (it reads the server's CPU time per flow, which the load does not move)", () => {
    const quiet = c7FlowSide(c7.quiet);
    const loaded = c7FlowSide(c7.loaded);
    const say = (s: ReturnType<typeof c7FlowSide>) => `×${s.ratio?.toFixed(2)} (${s.interval ? `${s.interval.low.toFixed(2)}–${s.interval.high.toFixed(2)}` : 'no interval'}): ${s.side}`;
    expect(quiet.side, `quiet ${say(quiet)}`).toBeDefined();
    expect(loaded.side, `quiet ${say(quiet)}, loaded ${say(loaded)}`).toBe(quiet.side);
  });

  test('every scenario cell is as its scenario expects, none a harness error', () => {
    const cases = scenarioCases(cells);
    expect(cases).toHaveLength(scenarios.length * STORES.length);
    expect(cases.filter((c) => c.status !== 'pass').map((c) => `${c.id} × ${c.store}: ${c.status}: ${c.evidence.split('\n')[0]}`)).toEqual([]);
  });

  test('every hostile row meets its expectation, none unknown or a harness error', () => {
    expect(hostile.errors).toEqual([]);
    const rows = hostileRows(hostile);
    const cases = rowCases(rows, rowExpectations(rows, defaultTarget.stores));
    expect(cases.length).toBeGreaterThan(80 * STORES.length);
    const wrong = cases.filter((c) => c.status !== 'pass' && c.status !== 'known-failure' && c.status !== 'n/a');
    expect(wrong.map((c) => `${c.id} × ${c.store}: ${c.status}: ${c.evidence}`)).toEqual([]);
  });
});
