/**
 * One remote scenario × store: replicas of the target's remote server
 * behind a balancer, the scenario's flows through it one after another
 * (each a new MCP client with the SDK's OAuth support, the user agent
 * playing the browser), the scenario's events at their points of a flow,
 * then every process stopped. The history (every hop of every flow with
 * the replica that served it, every operation on the replicas) goes to a
 * JSONL file; the verdict is computed from the flows' outcomes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { remoteCellVerdict } from '../core/checkers/remote-cell-verdict.ts';
import type { RemoteCellResult, RemoteConformance, RemoteFlowRecord } from '../core/remote-cell-result.ts';
import type { ConformanceSuite } from '../deploy/remote/conformance/conformance-install.ts';
import { runConformanceServerScenarios } from '../deploy/remote/conformance/run-conformance.ts';
import type { RemoteEvent, RemoteExpectation, RemoteScenario } from '../core/remote-scenario.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { Browser } from 'playwright-core';
import type { RemoteHop } from '../deploy/remote/hop.ts';
import { RemoteDeployment } from '../deploy/remote/remote-deployment.ts';
import { runRemoteFlow } from '../deploy/remote/remote-flow.ts';
import { sessionStrayed } from '../deploy/remote/flow-outcome.ts';
import type { BeforeSend } from '../deploy/remote/recording-fetch.ts';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { RemoteTargetDescription } from '../deploy/target/remote-target-description.ts';

export interface RemoteCellOptions {
  target: RemoteTargetDescription;
  scenario: RemoteScenario;
  store: string;
  expected: RemoteExpectation;
  mock: MockAtlassian;
  run: RunFolder;
  /** Overrides the scenario's number of flows (--flows). */
  flows?: number;
  /** Play the user in this Chromium instead of the HTTP user agent. */
  browser?: Browser;
  /** Run the conformance suite's server scenarios through a balancer in front of this cell's replicas, after the flows; or why it cannot run. */
  conformance?: { suite: ConformanceSuite } | { unavailable: string };
}

/** A line of the history file. */
type HistoryLine =
  | { type: 'flow'; flow: number; outcome: RemoteFlowRecord['outcome']; userAgent: RemoteFlowRecord['userAgent']; consent?: RemoteFlowRecord['consent']; clientError?: string; hops: RemoteHop[] }
  | { type: 'event'; flow: number; beforeHop: number; event: RemoteEvent['kind']; replicas?: string[] }
  | { type: 'operation'; op: string; replica: string; pid?: number; atMs: number };

export async function runRemoteCell(options: RemoteCellOptions): Promise<RemoteCellResult> {
  const { scenario, store, run } = options;
  const started = performance.now();
  const label = uniqueLabel(run, `remote-${scenario.name}-${store}`);
  const historyFile = path.join(run.dir, 'remote', `${label}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history: HistoryLine[] = [];
  const flows: RemoteFlowRecord[] = [];
  let lastToken: { flow: number; token: string } | undefined;
  const eventFailures: unknown[] = [];
  const base = { scenario: scenario.name, store, replicas: scenario.replicas, policy: scenario.policy, hosts: scenario.hosts, expected: options.expected, historyFile: path.relative(run.dir, historyFile) };
  let deployment: RemoteDeployment | undefined;
  try {
    deployment = await startWithRetry(options, label);
    const total = options.flows ?? scenario.flows;
    for (let flow = 1; flow <= total; flow++) {
      const flowStarted = performance.now();
      const result = await runRemoteFlow({
        mcpUrl: deployment.mcpUrl,
        toolCall: { name: options.target.remote.toolCall.name, arguments: { ...options.target.remote.toolCall.arguments } },
        beforeSend: eventsAt(scenario.events, flow, deployment, history, eventFailures),
        ...(options.browser ? { browser: options.browser } : {}),
      });
      // An event the harness could not carry out (a replica that would not start again) is the harness's failure, not the flow's.
      if (eventFailures.length) throw eventFailures[0];
      flows.push({
        flow,
        outcome: result.outcome,
        hops: result.hops.length,
        replicas: [...new Set(result.hops.flatMap((hop) => (hop.replica ? [hop.replica] : [])))].sort(),
        ...(sessionStrayed(result.hops) ? { sessionStrayed: true as const } : {}),
        durationMs: Math.round(performance.now() - flowStarted),
        ...(result.clientError ? { clientError: result.clientError } : {}),
        userAgent: result.userAgent,
        ...(result.consent ? { consent: result.consent } : {}),
      });
      if (result.outcome.outcome === 'completed' && result.accessToken) lastToken = { flow, token: result.accessToken };
      history.push({ type: 'flow', flow, outcome: result.outcome, userAgent: result.userAgent, ...(result.consent ? { consent: result.consent } : {}), ...(result.clientError ? { clientError: result.clientError } : {}), hops: result.hops });
    }
    const verdict = remoteCellVerdict(flows, options.expected);
    const conformance = options.conformance ? await conformanceThrough(deployment, options, lastToken) : undefined;
    return { ...base, flows, ...verdict, operations: deployment.operations, ...(conformance ? { conformance } : {}), durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, flows, completed: 0, lost: {}, matched: 'unknown', reason: `the harness failed: ${message.split('\n')[0]}`, harnessError: message, operations: deployment?.operations ?? [], durationMs: Math.round(performance.now() - started) };
  } finally {
    await deployment?.stop();
    for (const operation of deployment?.operations ?? []) history.push({ type: 'operation', ...operation });
    writeFileSync(historyFile, history.map((line) => JSON.stringify(line)).join('\n') + (history.length ? '\n' : ''));
  }
}

/**
 * The hook that runs this flow's events: each once, before the first request
 * after the named hop has answered that goes to the server (a balancer's
 * origin) or comes from the user agent (the user at the provider: a real
 * browser lets the harness stop it only before a navigation of its own, such
 * as the consent form's submission, not before a redirect it follows).
 */
function eventsAt(events: readonly RemoteEvent[], flow: number, deployment: RemoteDeployment, history: HistoryLine[], failures: unknown[]): BeforeSend | undefined {
  const pending = events.filter((event) => event.at.flow === undefined || event.at.flow === flow);
  if (pending.length === 0) return undefined;
  const balancerOrigins = new Set(Object.values(deployment.publicUrls).map((url) => new URL(url).origin));
  return async (next, before) => {
    if (!balancerOrigins.has(next.url.origin) && next.by !== 'user-agent') return;
    for (const event of [...pending]) {
      const answered = before.some((hop) => hop.kind === event.at.after && hop.status !== undefined && hop.status < 400);
      if (!answered) continue;
      pending.splice(pending.indexOf(event), 1);
      try {
        if (event.kind === 'rolling-restart') await deployment.rollingRestart();
        else await deployment.addReplica();
      } catch (error) {
        failures.push(error);
        throw error;
      }
      history.push({ type: 'event', flow, beforeHop: before.length, event: event.kind, replicas: deployment.replicaNames });
    }
  };
}

/**
 * The conformance suite through a second balancer in front of the same replicas (same policy), which adds the
 * last completed flow's bearer token to every request: the suite cannot authorize itself, and an authorizing
 * server refuses it otherwise. Without a completed flow it runs with no token, as a client would be left.
 */
async function conformanceThrough(deployment: RemoteDeployment, options: RemoteCellOptions, token: { flow: number; token: string } | undefined): Promise<RemoteConformance> {
  const choice = options.conformance!;
  if ('unavailable' in choice) return { version: '', bearer: 'none', scenarios: [], durationMs: 0, notRun: choice.unavailable };
  const bearer = token ? `the bearer token of flow ${token.flow}` : 'none: no flow completed, so no token could be had';
  try {
    const front = await deployment.openFront('conformance', token ? { Authorization: `Bearer ${token.token}` } : {});
    const result = await runConformanceServerScenarios({ url: new URL(options.target.remote.mcpPath, front).href, suite: choice.suite, logDir: options.run.logDir, timeoutMs: 90_000 });
    return { version: result.version, bearer, scenarios: result.scenarios.map(({ name, outcome, detail }) => ({ name, outcome, ...(detail ? { detail: detail.slice(0, 300) } : {}) })), durationMs: Math.round(result.durationMs) };
  } catch (error) {
    return { version: choice.suite.version, bearer, scenarios: [], durationMs: 0, notRun: `the suite failed to run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

const labelsTaken = new Map<string, Set<string>>();

/**
 * A label no other cell of the run has: it names the deployment's processes, logs, hosts, balancers and its
 * client at the mock, so two targets' cells of one scenario × store in one run (the gate runs two) must differ.
 */
function uniqueLabel(run: RunFolder, base: string): string {
  const taken = labelsTaken.get(run.dir) ?? new Set<string>();
  labelsTaken.set(run.dir, taken);
  let label = base;
  for (let n = 2; taken.has(label); n++) label = `${base}-${n}`;
  taken.add(label);
  return label;
}

/**
 * The deployment, started again once under a new label when its first start fails: the ports it picked were
 * free when picked, and another cell of a busy run may have taken one before a replica or balancer bound it.
 * A second failure is the cell's harness error, with both causes.
 */
async function startWithRetry(options: RemoteCellOptions, label: string): Promise<RemoteDeployment> {
  const { scenario, store, run } = options;
  const start = (attempt: string) =>
    RemoteDeployment.start({ target: options.target, store, label: attempt, replicas: scenario.replicas, policy: scenario.policy, hosts: scenario.hosts, mock: options.mock, run });
  try {
    return await start(label);
  } catch (first) {
    try {
      return await start(uniqueLabel(run, `${label}-retry`));
    } catch (second) {
      const line = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new Error(`the deployment would not start, twice: ${line(second)} (first attempt: ${line(first)})`, { cause: second });
    }
  }
}
