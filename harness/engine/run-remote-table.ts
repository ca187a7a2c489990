/**
 * The remote table: every remote scenario × store of a target that
 * describes a remote server, cells side by side (each its own replicas,
 * balancers and hosts; flows within a cell one after another), against the
 * run's mock. `runRemoteBattery` is the whole run for a target that is a
 * remote server alone: the run folder, the services its stores need, the
 * mock, the table and the results document.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { inPool } from '../core/in-pool.ts';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import type { RemoteExpectation, RemoteScenario } from '../core/remote-scenario.ts';
import { closeRunFolder, createRunFolder, type RunFolder } from '../core/run-folder.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../deploy/services/run-services.ts';
import type { RemoteTargetDescription } from '../deploy/target/remote-target-description.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { documentHeader } from './document-header.ts';
import { verdictCounts } from '../results/verdict-counts.ts';
import { runRemoteCell } from './run-remote-cell.ts';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../deploy/browser/chromium.ts';
import { writeUpStores } from '../measurements/write-up-stores.ts';
import { judgeConformance } from '../results/remote-conformance-verdict.ts';
import { CONFORMANCE_PINS, ensureConformanceSuite, type ConformanceSuite } from '../deploy/remote/conformance/conformance-install.ts';

export interface PlannedRemoteCell {
  scenario: RemoteScenario;
  store: string;
  expected: RemoteExpectation;
}

export function plannedRemoteCells(scenarios: readonly RemoteScenario[], target: Pick<RemoteTargetDescription, 'stores' | 'remote'>, stores?: readonly string[]): PlannedRemoteCell[] {
  const names = stores ?? Object.keys(target.stores);
  // A resource server keeps only its MCP sessions: what it can lose, and where, differs from a server that authorizes.
  const resource = target.remote.oauth.role === 'resource';
  return scenarios.flatMap((scenario) =>
    names.map((store) => {
      const profile = target.stores[store];
      if (!profile) throw new Error(`store "${store}" has no profile in the target: its reach decides what remote scenario ${scenario.name} expects of it`);
      return { scenario, store, expected: scenario.expect.stores?.[store] ?? (resource ? scenario.expect.resource : scenario.expect)[profile.reach] };
    }),
  );
}

export interface RemoteTableOptions {
  target: RemoteTargetDescription;
  cells: readonly PlannedRemoteCell[];
  mock: MockAtlassian;
  run: RunFolder;
  parallel?: number;
  flows?: number;
  onCell?: (cell: RemoteCellResult) => void;
  /** Play every flow's user in this Chromium. */
  browser?: Browser;
  /** The conformance suite, run in one store's cell of each remote scenario (the target's default store); or why it cannot run. */
  conformance?: { suite: ConformanceSuite } | { unavailable: string };
}

/** The store whose cells run the conformance suite: the target's default, else its first. */
export function conformanceStore(target: Pick<RemoteTargetDescription, 'stores' | 'defaultStore'>, cells: readonly PlannedRemoteCell[]): string | undefined {
  const stores = [...new Set(cells.map((cell) => cell.store))];
  return target.defaultStore && stores.includes(target.defaultStore) ? target.defaultStore : stores[0];
}

/** The suite, found in the cache or installed there (once per machine); why not, when it cannot be had. */
export async function conformanceSuiteFor(run: RunFolder, onProgress?: (message: string) => void): Promise<{ suite: ConformanceSuite } | { unavailable: string }> {
  try {
    const suite = await ensureConformanceSuite({ logDir: run.logDir, onProgress });
    onProgress?.(`MCP conformance suite ${suite.version}${suite.installedNow ? ' installed' : ''} (Node ${CONFORMANCE_PINS.node})`);
    return { suite };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    onProgress?.(`the MCP conformance suite is not available: ${why}`);
    return { unavailable: why };
  }
}

export async function runRemoteTable(options: RemoteTableOptions): Promise<RemoteCellResult[]> {
  const results: RemoteCellResult[] = [];
  const suiteStore = options.conformance ? conformanceStore(options.target, options.cells) : undefined;
  await inPool([...options.cells], Math.max(1, options.parallel ?? 4), async ({ scenario, store, expected }) => {
    const conformance = store === suiteStore ? options.conformance : undefined;
    const cell = await runRemoteCell({
      target: options.target,
      scenario,
      store,
      expected,
      mock: options.mock,
      run: options.run,
      flows: options.flows,
      ...(conformance ? { conformance } : {}),
      ...(options.browser ? { browser: options.browser } : {}),
    });
    results.push(cell);
    options.onCell?.(cell);
  });
  const order = (cell: RemoteCellResult) => options.cells.findIndex((c) => c.scenario.name === cell.scenario && c.store === cell.store);
  const scenarios = [...new Set(options.cells.map((c) => c.scenario))];
  return judgeConformance(results.sort((a, b) => order(a) - order(b)), scenarios);
}

export interface RemoteBatteryOptions {
  target: RemoteTargetDescription;
  scenarios: readonly RemoteScenario[];
  stores?: string[];
  flows?: number;
  parallel?: number;
  command: string;
  runsRoot?: string;
  keep?: boolean;
  /** Run the MCP conformance suite through the balancer (default true). */
  conformance?: boolean;
  /** Play every flow's user in Debian's Chromium (--browser). */
  browser?: boolean;
  onProgress?: (message: string) => void;
  onCell?: (cell: RemoteCellResult) => void;
}

/** The whole run for a remote-only target: its results document has no stdio cells, claims or measurements, only the remote table. */
export async function runRemoteBattery(options: RemoteBatteryOptions): Promise<{ document: ResultsDocument; run: RunFolder }> {
  const started = performance.now();
  const run = createRunFolder(options.runsRoot, '', { keep: options.keep });
  let cells = plannedRemoteCells(options.scenarios, options.target, options.stores);
  let services: RunServicesHandle | undefined;
  let mock: MockAtlassian | undefined;
  let results: RemoteCellResult[] = [];
  const skipped: ResultsDocument['skipped'] = [];
  let browser: Browser | undefined;
  try {
    const [servicesStarted, mockStarted] = await Promise.allSettled([startRunServices(run, options.target, cells.map((c) => c.store), { onProgress: options.onProgress }), MockAtlassian.start(run.logDir)]);
    if (servicesStarted.status === 'fulfilled') services = servicesStarted.value;
    if (mockStarted.status === 'fulfilled') mock = mockStarted.value;
    for (const step of [servicesStarted, mockStarted]) if (step.status === 'rejected') throw step.reason;
    for (const skip of services!.skipped) {
      skipped.push(skip);
      cells = cells.filter((c) => !skip.stores.includes(c.store));
    }
    const conformance = options.conformance === false ? undefined : await conformanceSuiteFor(run, options.onProgress);
    if (options.browser) {
      const missing = chromiumMissing();
      if (missing) options.onProgress?.(`${missing}: the remote flows use the HTTP user agent`);
      else {
        // The user meets the provider's consent page and accepts it, as in the stdio flows.
        const [launched] = await Promise.all([launchChromium(), mock!.setKnobs({ consent: 'form' })]);
        browser = launched;
        options.onProgress?.(`Chromium ${browser.version()} plays the user in every remote flow; the provider shows its consent page`);
      }
    }
    results = await runRemoteTable({
      target: options.target,
      cells,
      mock: mock!,
      run,
      parallel: options.parallel,
      flows: options.flows,
      onCell: options.onCell,
      ...(conformance ? { conformance } : {}),
      ...(browser ? { browser } : {}),
    });
  } finally {
    await browser?.close().catch(() => undefined);
    await mock?.stop().catch(() => undefined);
    await services?.stop();
    await stopAllChildren({ graceMs: 500 });
    closeRunFolder(run, { keep: options.keep });
  }
  const document: ResultsDocument = {
    // A remote-only run's mock plays Atlassian (the remote mode has no other provider yet).
    ...documentHeader({ ...options.target, provider: 'atlassian' }, run, options.command, started),
    cells: [],
    remoteCells: results,
    // The stores the claims across replicas judge: by reach alone, as a remote-only target file names no designs.
    writeUpStores: writeUpStores({ stores: options.target.stores }),
    skipped,
    claims: [],
    reliability: [],
    charts: [],
    measurements: [],
    grading: null,
    verdict: verdictCounts(results),
    mockUnhandledRequests: { count: mock?.finalStats?.unhandledRequests ?? 0, examples: (mock?.finalStats?.recentUnhandledRequests ?? []).map((r) => `${r.method} ${r.url}`).slice(0, 5) },
  };
  writeFileSync(path.join(run.dir, 'results.json'), `${JSON.stringify(document, null, 2)}\n`);
  return { document, run };
}
