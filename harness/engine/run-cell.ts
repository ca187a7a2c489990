/**
 * Runs one scenario against one store: deploy the topology, run the
 * workload (with the scenario's faults), stop every process, then let the
 * checkers judge the history.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runChecker } from '../core/checkers/checker.ts';
import { expectationChecker, targetMessageMatcher } from '../core/checkers/expectation.ts';
import type { Browser } from 'playwright-core';
import { REJECTED_AS_INVALID_STATE } from '../core/expectations.ts';
import { summariseFlows } from '../core/checkers/flow-outcomes.ts';
import { completeFlow, startFlow, type FlowEndpoints, type StartedFlow } from '../deploy/flow/drive-flow.ts';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { CellResult, CellTimings } from '../core/cell-result.ts';
import { History } from '../core/history.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { Deployment } from '../deploy/deployment.ts';
import type { Expectation, Scenario } from '../core/scenario.ts';
import { inPool } from '../core/in-pool.ts';
import { describeError } from '../core/harness-error.ts';

export interface CellOptions {
  scenario: Scenario;
  store: string;
  /** What the scenario expects of this store (from its reach, see core/expectations.ts). */
  expected: Expectation;
  target: TargetDescription;
  mock: MockAtlassian;
  run: RunFolder;
  /** Overrides the scenario's flow count (--flows). */
  flows?: number;
  /** A running Chromium: the user's side of every flow is played in it (--browser, or a scenario's userAgent 'browser'). */
  browser?: Browser;
  /** The cell needs a browser and there is none: why (the cell is then not judged). */
  browserMissing?: string;
  onProgress?: (message: string) => void;
}

export async function runCell(options: CellOptions): Promise<CellResult> {
  const { scenario, store, expected, target, mock, run } = options;
  const label = `${scenario.name}.${store}`;
  const historyFile = path.join(run.dir, 'history', `${label}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history = new History(historyFile);
  const started = performance.now();

  let deployment: Deployment | undefined;
  let harnessError: string | undefined;
  // Phase marks: where a cell's time goes (start, flows, stop).
  let upAt: number | undefined;
  let flowsDoneAt: number | undefined;
  let stoppedAt = started;
  try {
    if (options.browserMissing) throw new Error(`${options.browserMissing}: scenario ${scenario.name} plays the user in a real browser`);
    deployment = await Deployment.start({ target, topology: scenario.topology, store, label, mock, run, history });
    upAt = performance.now();
    options.onProgress?.(`${label}: processes up (${deployment.processes.map((p) => `${p.role} ${p.pid}`).join(', ')})`);
    await runWorkload(scenario, deployment, target, history, options.flows ?? scenario.workload.flows, options.browser);
    flowsDoneAt = performance.now();
  } catch (error) {
    harnessError = describeError(error);
    history.record({ type: 'info', f: 'harness-error', process: 'harness', error: harnessError });
  } finally {
    const stopping = performance.now();
    await deployment?.stop().catch(() => undefined);
    stoppedAt = performance.now();
    flowsDoneAt ??= stopping;
    upAt ??= stopping;
  }
  const timings: CellTimings = {
    startMs: Math.round(upAt - started),
    flowsMs: Math.round(flowsDoneAt - upAt),
    stopMs: Math.round(stoppedAt - flowsDoneAt),
    ...(deployment ? { start: { ...deployment.startTimings } } : {}),
  };
  history.record({ type: 'info', f: 'cell-timings', process: 'harness', value: timings });
  await history.close();

  const summary = summariseFlows(history.ops);
  const verdict = harnessError ? undefined : runChecker('expectation', expectationChecker(expected, targetMessageMatcher(target, REJECTED_AS_INVALID_STATE.message)), history.ops);
  return {
    scenario: scenario.name,
    store,
    topology: scenario.topology,
    flows: summary.flows,
    stateLookups: summary.stateLookups,
    tokenExchanges: summary.tokenExchanges,
    tokenHandoffs: summary.tokenHandoffs,
    errors: summary.errors,
    processes: deployment?.processes ?? [],
    latencyMs: summary.latencyMs,
    expected,
    observed: verdict?.details?.observed ?? null,
    matched: verdict ? verdict.valid : 'unknown',
    checkers: verdict ? [verdict] : [],
    ...(harnessError ? { harnessError } : {}),
    durationMs: Math.round(performance.now() - started),
    timings,
    historyFile: path.relative(run.dir, historyFile),
  };
}

async function runWorkload(scenario: Scenario, deployment: Deployment, target: TargetDescription, history: History, flows: number, browser: Browser | undefined) {
  const endpoints: FlowEndpoints = deployment.endpoints;
  const complete = (flow: StartedFlow) => completeFlow(endpoints, target, history, flow, deployment.callbackUrl, browser ? { browser } : {});
  const concurrency = Math.max(1, scenario.workload.concurrency);

  if (scenario.faultsBetweenStartAndCallback.length > 0) {
    // Every flow starts, then the faults strike, then every callback arrives.
    const startedFlows = await inPool(range(flows), concurrency, (flow) => startFlow(endpoints, target, history, flow));
    for (const fault of scenario.faultsBetweenStartAndCallback) {
      if (fault.kind === 'restart-callback') await deployment.restartCallback();
    }
    await inPool(startedFlows.filter((flow): flow is StartedFlow => flow !== undefined), concurrency, complete);
    return;
  }
  await inPool(range(flows), concurrency, async (flow) => {
    const startedFlow = await startFlow(endpoints, target, history, flow);
    if (startedFlow) await complete(startedFlow);
  });
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
