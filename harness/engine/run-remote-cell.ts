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
import type { RemoteCellResult, RemoteFlowRecord } from '../core/remote-cell-result.ts';
import type { RemoteEvent, RemoteExpectation, RemoteScenario } from '../core/remote-scenario.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { RemoteHop } from '../deploy/remote/hop.ts';
import { RemoteDeployment } from '../deploy/remote/remote-deployment.ts';
import { runRemoteFlow } from '../deploy/remote/remote-flow.ts';
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
}

/** A line of the history file. */
type HistoryLine =
  | { type: 'flow'; flow: number; outcome: RemoteFlowRecord['outcome']; clientError?: string; hops: RemoteHop[] }
  | { type: 'event'; flow: number; beforeHop: number; event: RemoteEvent['kind']; replicas?: string[] }
  | { type: 'operation'; op: string; replica: string; pid?: number; atMs: number };

export async function runRemoteCell(options: RemoteCellOptions): Promise<RemoteCellResult> {
  const { scenario, store, run } = options;
  const started = performance.now();
  const label = `remote-${scenario.name}-${store}`;
  const historyFile = path.join(run.dir, 'remote', `${label}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history: HistoryLine[] = [];
  const flows: RemoteFlowRecord[] = [];
  const base = { scenario: scenario.name, store, replicas: scenario.replicas, policy: scenario.policy, hosts: scenario.hosts, expected: options.expected, historyFile: path.relative(run.dir, historyFile) };
  let deployment: RemoteDeployment | undefined;
  try {
    deployment = await RemoteDeployment.start({ target: options.target, store, label, replicas: scenario.replicas, policy: scenario.policy, hosts: scenario.hosts, mock: options.mock, run });
    const total = options.flows ?? scenario.flows;
    for (let flow = 1; flow <= total; flow++) {
      const flowStarted = performance.now();
      const result = await runRemoteFlow({
        mcpUrl: deployment.mcpUrl,
        toolCall: { name: options.target.remote.toolCall.name, arguments: { ...options.target.remote.toolCall.arguments } },
        beforeSend: eventsAt(scenario.events, flow, deployment, history),
      });
      flows.push({
        flow,
        outcome: result.outcome,
        hops: result.hops.length,
        replicas: [...new Set(result.hops.flatMap((hop) => (hop.replica ? [hop.replica] : [])))].sort(),
        durationMs: Math.round(performance.now() - flowStarted),
        ...(result.clientError ? { clientError: result.clientError } : {}),
      });
      history.push({ type: 'flow', flow, outcome: result.outcome, ...(result.clientError ? { clientError: result.clientError } : {}), hops: result.hops });
    }
    const verdict = remoteCellVerdict(flows, options.expected);
    return { ...base, flows, ...verdict, operations: deployment.operations, durationMs: Math.round(performance.now() - started) };
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
 * to the server (a balancer's origin) after the named hop has answered.
 */
function eventsAt(events: readonly RemoteEvent[], flow: number, deployment: RemoteDeployment, history: HistoryLine[]): BeforeSend | undefined {
  const pending = events.filter((event) => event.at.flow === undefined || event.at.flow === flow);
  if (pending.length === 0) return undefined;
  const balancerOrigins = new Set(Object.values(deployment.publicUrls).map((url) => new URL(url).origin));
  return async (next, before) => {
    if (!balancerOrigins.has(next.url.origin)) return;
    for (const event of [...pending]) {
      const answered = before.some((hop) => hop.kind === event.at.after && hop.status !== undefined && hop.status < 400);
      if (!answered) continue;
      pending.splice(pending.indexOf(event), 1);
      if (event.kind === 'rolling-restart') await deployment.rollingRestart();
      else await deployment.addReplica();
      history.push({ type: 'event', flow, beforeHop: before.length, event: event.kind, replicas: deployment.replicaNames });
    }
  };
}
