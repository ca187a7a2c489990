/**
 * harness/engine/: the battery: scenario × store cells through real processes, then the measurements, grading and the results document.
 *
 * One run: start the mock Atlassian server, run every selected scenario ×
 * store (independent cells side by side), stop everything, and assemble the
 * results document.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnyMeasurement } from '../measurements/measurement.ts';
import { publishedValue } from '../measurements/published-values.ts';
import { writeUpStores } from '../measurements/write-up-stores.ts';
import { runMeasurements, type MeasurementsOutcome } from '../measurements/run-measurements.ts';
import { gradeStores } from '../grading/grade-stores.ts';
import { MockAtlassian, mockEnvFor } from '../deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../deploy/services/run-services.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import type { CellResult, ResultsDocument } from '../results/results-document.ts';
import { runCell } from './run-cell.ts';
import { buildTarget, preflight } from './prepare-target.ts';
import { inPool } from '../core/in-pool.ts';
import { paceOfCells } from '../core/pace.ts';
import type { Expectation, Scenario } from '../core/scenario.ts';
import { expectationFor } from '../core/expectations.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { closeRunFolder, createRunFolder, type RunFolder } from '../core/run-folder.ts';
import { documentHeader } from './document-header.ts';
import { verdictCounts } from '../results/verdict-counts.ts';
import type { RemoteScenario } from '../core/remote-scenario.ts';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import { conformanceSuiteFor, plannedRemoteCells, runRemoteTable } from './run-remote-table.ts';
import { remoteModeOf } from '../deploy/target/load-target.ts';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../deploy/browser/chromium.ts';

export interface BatteryOptions {
  target: TargetDescription;
  scenarios: Scenario[];
  /** Restrict to these stores; default: every store each scenario lists. */
  stores?: string[];
  flows?: number;
  /** Cells run at once. */
  parallel?: number;
  /** Run after the scenario table, with the same mock; none by default. */
  measurements?: readonly AnyMeasurement[];
  /** Quick versions of the measurements (repro) or full ones (bench). */
  quick?: boolean;
  /** Play the user of every scenario flow in a real Chromium (--browser); scenarios with userAgent 'browser' always are. */
  browser?: boolean;
  command: string;
  runsRoot?: string;
  /** --keep: the run's hosts folder (each simulated host's /tmp and HOME) stays after the run, for reading; removed otherwise. */
  keep?: boolean;
  onProgress?: (message: string) => void;
  onCell?: (cell: CellResult) => void;
  /** Remote scenarios, run after the scenario table when the target describes a remote server (its `remote`); none by default. */
  remoteScenarios?: readonly RemoteScenario[];
  onRemoteCell?: (cell: RemoteCellResult) => void;
  /** Run the MCP conformance suite through the remote cells' balancers (default true). */
  conformance?: boolean;
}

/**
 * One Chromium for every cell that plays its user in a browser, the remote
 * table's flows included under --browser; the run's provider then shows its
 * consent page (the HTTP user agent clicks through it too). Without
 * chromium: --browser goes on with the HTTP user agent and says so; a
 * scenario that asks for a browser is not judged.
 */
async function startBrowserIfNeeded(
  options: BatteryOptions,
  cells: { scenario: Scenario }[],
  mock: MockAtlassian,
  remoteTable: boolean,
): Promise<{ browser?: Browser; missing?: string }> {
  if (!options.browser && !cells.some((cell) => cell.scenario.userAgent === 'browser')) return {};
  const tables = remoteTable ? "the scenario table's and the remote table's flows" : "the scenario table's flows";
  const missing = chromiumMissing();
  if (missing) {
    if (options.browser) options.onProgress?.(`${missing}: ${tables} use the HTTP user agent`);
    return { missing };
  }
  const [browser] = await Promise.all([launchChromium(), mock.setKnobs({ consent: 'form' })]);
  const where = options.browser ? ` in every scenario${remoteTable ? ' and every remote flow' : ''}` : '';
  options.onProgress?.(`Chromium ${browser.version()} plays the user${where}; the provider shows its consent page`);
  return { browser };
}

export interface SkippedStores {
  stores: string[];
  why: string;
}

/** Every scenario × every store of the target (or of `stores`); a store the target does not describe is an error, never a silent gap. */
export function plannedCells(scenarios: Scenario[], target: TargetDescription, stores?: string[]): { scenario: Scenario; store: string; expected: Expectation }[] {
  const names = stores ?? Object.keys(target.stores);
  return scenarios.flatMap((scenario) => names.map((store) => ({ scenario, store, expected: expectationFor(scenario, store, target.stores[store]) })));
}

export async function runBattery(options: BatteryOptions): Promise<{ document: ResultsDocument; run: RunFolder }> {
  const started = performance.now();
  const run = createRunFolder(options.runsRoot, '', { keep: options.keep });
  let cells = plannedCells(options.scenarios, options.target, options.stores);
  const skipped: SkippedStores[] = [];
  let services: RunServicesHandle | undefined;
  let mock: MockAtlassian | undefined;
  let extraMocks = 0;
  const mocks: MockAtlassian[] = [];
  const results: CellResult[] = [];
  let remoteResults: RemoteCellResult[] | undefined;
  let measured: MeasurementsOutcome = { claims: [], reliability: [], charts: [], records: [] };
  let browser: Browser | undefined;
  // Phase boundaries (performance.now()); a phase that never began stays undefined.
  let tableStarted: number | undefined;
  let measurementsStarted: number | undefined;
  let measurementsEnded: number | undefined;
  let teardownStarted = 0;
  try {
    // The remote table's stores need their services too, even in a run with no stdio cell.
    const remoteStores = options.target.remote && options.remoteScenarios?.length ? (options.stores ?? Object.keys(options.target.stores)) : [];
    // redis, the mock and the target's build need nothing of each other: they start side by side.
    const setupStarted = performance.now();
    const [servicesStarted, mockStarted, built] = await Promise.allSettled([
      startRunServices(run, options.target, [...cells.map((c) => c.store), ...remoteStores], { onProgress: options.onProgress }),
      MockAtlassian.start(run.logDir, [], mockEnvFor(options.target)),
      buildTarget(options.target, run),
    ]);
    if (servicesStarted.status === 'fulfilled') services = servicesStarted.value;
    if (mockStarted.status === 'fulfilled') {
      mock = mockStarted.value;
      mocks.push(mock);
    }
    for (const step of [servicesStarted, mockStarted, built]) if (step.status === 'rejected') throw step.reason;
    for (const skip of services!.skipped) {
      skipped.push(skip);
      process.stderr.write(`repro: skipping the ${skip.stores.join(', ')} rows: ${skip.why}\n`);
      cells = cells.filter((c) => !skip.stores.includes(c.store));
    }
    const servicesUp = performance.now();
    await preflight(options.target, cells[0]?.store ?? options.target.defaultStore ?? Object.keys(options.target.stores)[0]!, mock!, run);
    options.onProgress?.(`mock provider (${mock!.provider} profile) up at ${mock!.url} (pid ${mock!.child.pid}); setup ${ms(servicesUp - setupStarted)} (redis, mock, build side by side), preflight ${ms(performance.now() - servicesUp)}`);
    const running = mock!;
    const remoteTarget = remoteModeOf(options.target);
    const remoteTable = remoteTarget !== undefined && (options.remoteScenarios?.length ?? 0) > 0;
    const agents = await startBrowserIfNeeded(options, cells, running, remoteTable);
    browser = agents.browser;
    tableStarted = performance.now();
    await inPool(cells, Math.max(1, options.parallel ?? 4), async ({ scenario, store, expected }) => {
      const inBrowser = options.browser || scenario.userAgent === 'browser';
      const cell = await runCell({
        scenario,
        store,
        expected,
        target: options.target,
        mock: running,
        run,
        flows: options.flows,
        onProgress: options.onProgress,
        ...(inBrowser && agents.browser ? { browser: agents.browser } : {}),
        ...(scenario.userAgent === 'browser' && agents.missing ? { browserMissing: agents.missing } : {}),
      });
      results.push(cell);
      options.onCell?.(cell);
    });
    // The stores asked for, less those whose service could not start (a filtered run may have no stdio cell at all).
    const runnableStores = (options.stores ?? Object.keys(options.target.stores)).filter((store) => !skipped.some((skip) => skip.stores.includes(store)));
    if (remoteTable) {
      const stores = runnableStores;
      const conformance = options.conformance === false ? undefined : await conformanceSuiteFor(run, options.onProgress);
      remoteResults = await runRemoteTable({
        target: remoteTarget,
        cells: plannedRemoteCells(options.remoteScenarios ?? [], remoteTarget, stores),
        mock: running,
        run,
        parallel: options.parallel,
        onCell: options.onRemoteCell,
        ...(conformance ? { conformance } : {}),
        // The same Chromium as the scenario table's, a tab of its own per flow, through the provider's consent page.
        ...(options.browser && agents.browser ? { browser: agents.browser } : {}),
      });
    }
    measurementsStarted = performance.now();
    if (options.measurements?.length) {
      // The stores of the table's cells; with none (only remote scenarios chosen), every store that can run.
      const stores = cells.length ? [...new Set(cells.map((c) => c.store))] : runnableStores;
      measured = await runMeasurements(
        { run, mock: running, target: options.target, stores, quick: options.quick ?? true, onProgress: options.onProgress, pace: paceOfCells(results) },
        results,
        options.measurements,
        async () => {
          const extra = await MockAtlassian.start(run.logDir, [], mockEnvFor(options.target), `atlassian-mock-${++extraMocks}`);
          mocks.push(extra);
          return extra;
        },
      );
    }
    measurementsEnded = performance.now();
  } finally {
    teardownStarted = performance.now();
    await browser?.close().catch(() => undefined);
    await mock?.stop().catch(() => undefined);
    await services?.stop();
    await stopAllChildren({ graceMs: 500 });
    // Only now, with every child stopped, does nothing write into the hosts folder any more.
    const closed = closeRunFolder(run, { keep: options.keep });
    if (closed.hostsDir === 'kept') options.onProgress?.(`--keep: the simulated hosts stay in ${run.hostsDir} (linked from ${path.join(run.dir, 'hosts')})`);
    if (closed.hostsDir === 'not removed') options.onProgress?.(`could not remove ${run.hostsDir} (the orphan reaper tries again when the harness exits): ${closed.error.message}`);
  }
  const order = (cell: CellResult) => cells.findIndex((c) => c.scenario.name === cell.scenario && c.store === cell.store);
  results.sort((a, b) => order(a) - order(b));
  const document: ResultsDocument = {
    ...documentHeader(options.target, run, options.command, started),
    ...(tableStarted !== undefined && measurementsStarted !== undefined && measurementsEnded !== undefined
      ? {
          phases: {
            setupMs: Math.round(tableStarted - started),
            tableMs: Math.round(measurementsStarted - tableStarted),
            measurementsMs: Math.round(measurementsEnded - measurementsStarted),
            teardownMs: Math.round(performance.now() - teardownStarted),
          },
        }
      : {}),
    cells: results,
    ...(remoteResults ? { remoteCells: remoteResults } : {}),
    skipped,
    writeUpStores: writeUpStores(options.target),
    claims: measured.claims,
    reliability: measured.reliability,
    charts: measured.charts,
    measurements: measured.records,
    grading: null,
    verdict: verdictCounts([...results, ...(remoteResults ?? [])], measured.records.filter((record) => record.error).length),
    mockUnhandledRequests: unhandledRequests(mocks),
  };
  if (measured.records.length > 0) {
    document.grading = gradeStores(document, options.target.stores, publishedValue(measured.records, 'default-store')?.store);
  }
  writeFileSync(path.join(run.dir, 'results.json'), `${JSON.stringify(document, null, 2)}\n`);
  return { document, run };
}

const ms = (value: number) => `${Math.round(value)} ms`;

/** Requests the mocks had no handler for: each is a request the target (or the harness) made that Atlassian would not answer. */
function unhandledRequests(mocks: readonly MockAtlassian[]): ResultsDocument['mockUnhandledRequests'] {
  const count = mocks.reduce((sum, m) => sum + (m.finalStats?.unhandledRequests ?? 0), 0);
  const examples = mocks.flatMap((m) => (m.finalStats?.recentUnhandledRequests ?? []).map((r) => `${r.method} ${r.url}`)).slice(0, 5);
  const unread = mocks.filter((m) => m.finalStats === undefined).length;
  return { count, examples, ...(unread ? { unread } : {}) };
}

