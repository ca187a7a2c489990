/**
 * harness/deploy/: putting a target on its feet: target descriptions, hosts and topologies, child processes and the reaper, the MCP client, the user agent, preloads, the mock and redis services, deployment pools.
 *
 * Starts a target's processes in a topology against the mock Atlassian
 * server, and keeps what a flow needs: the MCP client of the tool process,
 * the callback's base URL, the pids, and a way to restart the callback.
 */
import { performance } from 'node:perf_hooks';
import { ToolClient } from './mcp/tool-client.ts';
import type { FlowEndpoints } from './flow/drive-flow.ts';
import type { MockAtlassian, RegisteredClient } from './services/mock-atlassian.ts';
import type { RunningChild } from './process/child-process.ts';
import { explainStartFailure, waitUntilReady } from './process/readiness.ts';
import { freePort } from './process/free-port.ts';
import { makeHost, type Host } from './hosts.ts';
import { deploymentIdentity, redirectUriFor, TargetLauncher, type DeploymentIdentity } from './target-launcher.ts';
import type { History } from '../core/history.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { TargetDescription } from './target/target-description.ts';
import { TOPOLOGIES, type TopologyName } from '../core/topologies.ts';
import type { ProcessRecord } from '../core/cell-result.ts';
import { START_RETRY, withRetries, type RetryPolicy } from '../core/retry.ts';
import { describeError } from '../core/harness-error.ts';

export type { ProcessRecord };

export interface DeployOptions {
  target: TargetDescription;
  topology: TopologyName;
  store: string;
  /** Unique per scenario × store in a run: names logs, hosts and the mock client. */
  label: string;
  mock: MockAtlassian;
  run: RunFolder;
  history: History;
  /** Added to every process of the target (a preload in NODE_OPTIONS, say). */
  extraEnv?: Record<string, string>;
  /** Leave the store unset, so the target picks its own default (`store` then only names the deployment). */
  targetDefaultStore?: boolean;
  /** A redis URL other than the run's (a database of its own, say). */
  redisUrl?: string;
  /** How long the processes should wait on any one provider call (ms), handed to the target as `input.providerTimeoutMs`. */
  providerTimeoutMs?: number;
}

/**
 * Where a deployment's start went, in ms: the client registration at the
 * mock, the callback's spawn until its readiness, the tool process's spawn
 * until its MCP initialize answer, the redirect URI at the mock. Steps that
 * ran side by side overlap, so their sum can exceed the whole.
 */
export type DeploymentTimings = Partial<Record<'registerMs' | 'callbackReadyMs' | 'toolInitializeMs' | 'redirectUriMs', number>>;

class PhaseClock {
  private readonly marks: DeploymentTimings = {};

  async time<T>(phase: keyof DeploymentTimings, step: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await step();
    } finally {
      this.marks[phase] = Math.round(performance.now() - began);
    }
  }

  done(): DeploymentTimings {
    return { ...this.marks };
  }
}

const labelsInUse = new WeakMap<RunFolder, Set<string>>();

export class Deployment {
  readonly processes: ProcessRecord[] = [];
  private callbackChild: RunningChild | undefined;
  private callbackStarts = 0;
  /** Milliseconds per step of start(); steps that ran side by side overlap. */
  startTimings: DeploymentTimings = {};

  private constructor(
    private readonly options: DeployOptions,
    readonly tool: ToolClient,
    readonly callbackUrl: string,
    private readonly client: RegisteredClient,
    private readonly identity: DeploymentIdentity,
    private readonly hosts: Record<'a' | 'b', Host>,
    private readonly launcher: TargetLauncher,
  ) {}

  /** Lines on the tool process's stdout that were not MCP (a finding: stdout must carry MCP only). */
  get nonMcpStdoutLines(): number {
    return this.tool.nonMcpLines;
  }

  /** The OAuth client this deployment registered at the mock (its requests carry it). */
  get clientId(): string {
    return this.client.clientId;
  }

  /** The client with its secret, for checks that a secret never shows (logs, pages). */
  get registeredClient(): Readonly<RegisteredClient> {
    return this.client;
  }

  /** What a flow needs of this deployment: its MCP client, the pids, and the provider's evidence. */
  get endpoints(): FlowEndpoints {
    return { tool: this.tool, toolPid: this.toolPid, callbackPid: () => this.callbackPid, evidence: this.options.mock, providerUrl: this.options.mock.url };
  }

  get toolPid(): number {
    return this.tool.child.pid;
  }

  get callbackPid(): number {
    return this.callbackChild?.pid ?? this.tool.child.pid;
  }

  /** The folder that serves as /tmp for the tool process's host. */
  get toolHostTmp(): string {
    return this.hosts.a.tmp;
  }

  get callbackHostTmp(): string {
    return this.hosts[TOPOLOGIES[this.options.topology].callbackHost].tmp;
  }

  /** The label it runs under: the one asked for, or a fresh one when an earlier attempt failed. */
  get label(): string {
    return this.options.label;
  }

  /**
   * Starts the deployment; a start that fails (a readiness wait that ran out
   * on a busy machine, a refused loopback connect) is tried again under a
   * fresh label (`<label>.retry-2`: its own client, hosts and logs, since the
   * failed attempt's may be half made), and after the last attempt it is a
   * HarnessError with every attempt's cause. The history notes each retry.
   */
  static async start(options: DeployOptions, retry: Pick<RetryPolicy, 'attempts' | 'backoffMs'> = START_RETRY): Promise<Deployment> {
    return withRetries(
      {
        what: `starting ${options.store} × ${options.topology} (${options.label})`,
        ...retry,
        onRetry: (attempt, error) => options.history.record({ type: 'info', f: 'harness-retry', process: 'harness', value: { label: retryLabel(options.label, attempt), attempt }, error: describeError(error) }),
      },
      (attempt) => Deployment.startOnce({ ...options, label: retryLabel(options.label, attempt) }),
    );
  }

  /** One attempt at starting, under exactly the label given. */
  static async startOnce(options: DeployOptions): Promise<Deployment> {
    const { target, topology, label, mock, run } = options;
    // A label names the mock client, the hosts' folders and the logs: two
    // deployments sharing one would silently take over each other's client.
    const used = labelsInUse.get(run) ?? new Set<string>();
    if (used.has(label)) throw new Error(`deployment label "${label}" is already used in this run: every deployment needs its own`);
    used.add(label);
    labelsInUse.set(run, used);
    const timings = new PhaseClock();
    const shape = TOPOLOGIES[topology];
    const hosts = { a: makeHost(run, label, 'a'), b: makeHost(run, label, 'b') };
    const client = await timings.time('registerMs', () => mock.registerClient(`repro-${label}`));
    const identity = deploymentIdentity(label);
    const launcher = new TargetLauncher(options, client, identity);
    await launcher.prepare();

    if (shape.callbackInToolProcess) {
      const port = target.port === 'assigned' ? await freePort() : undefined;
      const redirectUri = port === undefined ? undefined : redirectUriFor(target, `http://localhost:${port}`);
      const child = launcher.spawn('both', `${label}.tool`, hosts.a, port, redirectUri);
      try {
        const [ready, tool] = await Promise.all([
          timings.time('callbackReadyMs', () => waitUntilReady(child, target.both.ready, port)),
          timings.time('toolInitializeMs', () => ToolClient.connect(child)),
        ]);
        const callbackUrl = port === undefined ? ready.url : `http://localhost:${port}`;
        await timings.time('redirectUriMs', () => mock.addRedirectUri(client.clientId, redirectUri ?? redirectUriFor(target, ready.url)));
        const deployment = new Deployment(options, tool, callbackUrl, client, identity, hosts, launcher);
        deployment.startTimings = timings.done();
        deployment.note('tool+callback', child, 'a');
        return deployment;
      } catch (error) {
        const explained = await explainStartFailure(child, error);
        await child.stop({ graceMs: 300 });
        throw explained;
      }
    }

    const callbackHost = hosts[shape.callbackHost];
    let startedCallback: { child: RunningChild; url: string };
    let toolChild: RunningChild;
    let redirectUri: string;
    if (target.port === 'assigned') {
      // The harness picks the port, so the redirect URI is known before
      // either process runs: both start at once, each with its own readiness.
      const port = await freePort();
      redirectUri = redirectUriFor(target, `http://localhost:${port}`);
      const callbackStarting = timings.time('callbackReadyMs', () => launcher.startCallback(`${label}.callback`, callbackHost, port));
      toolChild = launcher.spawn('tool', `${label}.tool`, hosts.a, undefined, redirectUri);
      const [callback, tool] = await Promise.allSettled([callbackStarting, timings.time('toolInitializeMs', () => ToolClient.connect(toolChild)), mock.addRedirectUri(client.clientId, redirectUri)]);
      if (callback.status === 'rejected' || tool.status === 'rejected') {
        const failure = callback.status === 'rejected' ? callback.reason : (tool as PromiseRejectedResult).reason;
        const explained = callback.status === 'rejected' ? failure : await explainStartFailure(toolChild, failure);
        await Promise.all([toolChild.stop({ graceMs: 300 }), callback.status === 'fulfilled' ? callback.value.child.stop({ graceMs: 300 }) : undefined]);
        throw explained;
      }
      return Deployment.assemble(options, tool.value, callback.value, toolChild, client, identity, hosts, launcher, callbackHost.name, timings);
    }

    // An announced port is known only once the callback is up, and the tool
    // process needs the redirect URI in its environment: one after the other.
    startedCallback = await timings.time('callbackReadyMs', () => launcher.startCallback(`${label}.callback`, callbackHost));
    redirectUri = redirectUriFor(target, startedCallback.url);
    // The tool process does not talk to the mock until a flow starts: its
    // redirect URI can be registered while it boots.
    const registering = timings.time('redirectUriMs', () => mock.addRedirectUri(client.clientId, redirectUri));
    toolChild = launcher.spawn('tool', `${label}.tool`, hosts.a, undefined, redirectUri);
    let tool: ToolClient;
    try {
      [tool] = await Promise.all([timings.time('toolInitializeMs', () => ToolClient.connect(toolChild)), registering]);
    } catch (error) {
      const explained = await explainStartFailure(toolChild, error);
      await Promise.all([toolChild.stop({ graceMs: 300 }), startedCallback.child.stop({ graceMs: 300 })]);
      throw explained;
    }
    return Deployment.assemble(options, tool, startedCallback, toolChild, client, identity, hosts, launcher, callbackHost.name, timings);
  }

  private static assemble(
    options: DeployOptions,
    tool: ToolClient,
    callback: { child: RunningChild; url: string },
    toolChild: RunningChild,
    client: RegisteredClient,
    identity: DeploymentIdentity,
    hosts: Record<'a' | 'b', Host>,
    launcher: TargetLauncher,
    callbackHostName: string,
    timings: PhaseClock,
  ): Deployment {
    const deployment = new Deployment(options, tool, callback.url, client, identity, hosts, launcher);
    deployment.callbackChild = callback.child;
    deployment.callbackStarts = 1;
    deployment.startTimings = timings.done();
    deployment.note('callback', callback.child, callbackHostName);
    deployment.note('tool', toolChild, 'a');
    return deployment;
  }

  /** Kills the callback process (SIGKILL, as a crash) and starts it again on the same port. */
  async restartCallback(): Promise<void> {
    const old = this.callbackChild;
    if (!old) throw new Error(`restart-callback: topology ${this.options.topology} has no separate callback process`);
    const { label, history } = this.options;
    const port = Number(new URL(this.callbackUrl).port);
    await history.perform({ f: 'restart-callback', process: 'nemesis', value: { killed: old.pid } }, async () => {
      await old.kill();
      const host = this.hosts[TOPOLOGIES[this.options.topology].callbackHost];
      this.callbackStarts += 1;
      const fresh = await this.launcher.startCallback(`${label}.callback-${this.callbackStarts}`, host, port);
      this.callbackChild = fresh.child;
      this.note('callback', fresh.child, host.name);
      return { killed: old.pid, started: fresh.child.pid };
    });
  }

  /**
   * A second callback process beside this deployment's own: same store, same
   * host, same client and identity, its own port. Two callback processes
   * behind one redirect URI is what a load balancer, a restart overlap or a
   * second replica gives. The caller stops it.
   */
  async startExtraCallback(name: string, extraEnv: Record<string, string> = {}): Promise<{ child: RunningChild; url: string }> {
    const host = this.hosts[TOPOLOGIES[this.options.topology].callbackHost];
    return this.launcher.startCallback(name, host, undefined, extraEnv);
  }

  /**
   * Both processes end on their own when stdin closes (the target's contract
   * with its parent), so the first step of each stop is that, for both at
   * once; the escalation only waits on a process that is still running.
   */
  async stop(): Promise<void> {
    await this.tool.close();
    await Promise.all([this.tool.child.stop(), this.callbackChild?.stop()]);
  }

  private note(role: string, child: RunningChild, host: string): void {
    this.processes.push({ role: role === 'callback' ? 'callback' : 'tool', name: child.spec.name, pid: child.pid, host });
    this.options.history.record({ type: 'info', f: 'process-started', process: `${role}#${child.pid}`, value: { name: child.spec.name, pid: child.pid, host } });
  }
}

/** The label of a start's nth attempt: the first keeps the caller's, later ones are fresh. */
export function retryLabel(label: string, attempt: number): string {
  return attempt === 1 ? label : `${label}.retry-${attempt}`;
}
