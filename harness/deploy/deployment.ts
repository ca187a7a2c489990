/**
 * harness/deploy/: putting a target on its feet: target descriptions, hosts and topologies, child processes and the reaper, the MCP client, the user agent, preloads, the mock and redis services, deployment pools.
 *
 * Starts a target's processes in a topology against the mock Atlassian
 * server, and keeps what a flow needs: the MCP client of the tool process,
 * the callback's base URL, the pids, and a way to restart the callback.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ToolClient } from './mcp/tool-client.ts';
import type { FlowEndpoints } from './flow/drive-flow.ts';
import type { MockAtlassian, RegisteredClient } from './services/mock-atlassian.ts';
import type { RunningChild } from './process/child-process.ts';
import { freePort, waitUntilReady } from './process/readiness.ts';
import { makeHost, type Host } from './hosts.ts';
import { deploymentIdentity, redirectUriFor, TargetLauncher, type DeploymentIdentity } from './target-launcher.ts';
import type { History } from '../core/history.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { TargetDescription } from './target/target-description.ts';
import { TOPOLOGIES, type TopologyName } from '../core/topologies.ts';
import type { ProcessRecord } from '../core/cell-result.ts';

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
}

const labelsInUse = new WeakMap<RunFolder, Set<string>>();

export class Deployment {
  readonly processes: ProcessRecord[] = [];
  private callbackChild: RunningChild | undefined;
  private callbackStarts = 0;

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

  static async start(options: DeployOptions): Promise<Deployment> {
    const { target, topology, label, mock, run } = options;
    // A label names the mock client, the hosts' folders and the logs: two
    // deployments sharing one would silently take over each other's client.
    const used = labelsInUse.get(run) ?? new Set<string>();
    if (used.has(label)) throw new Error(`deployment label "${label}" is already used in this run: every deployment needs its own`);
    used.add(label);
    labelsInUse.set(run, used);
    const shape = TOPOLOGIES[topology];
    const hosts = { a: makeHost(run, label, 'a'), b: makeHost(run, label, 'b') };
    const client = await mock.registerClient(`repro-${label}`);
    const identity = deploymentIdentity(label);
    const launcher = new TargetLauncher(options, client, identity);

    if (shape.callbackInToolProcess) {
      const port = target.port === 'assigned' ? await freePort() : undefined;
      const redirectUri = port === undefined ? undefined : redirectUriFor(target, `http://localhost:${port}`);
      const child = launcher.spawn('both', `${label}.tool`, hosts.a, port, redirectUri);
      try {
        const [ready, tool] = await Promise.all([waitUntilReady(child, target.both.ready, port), ToolClient.connect(child)]);
        const callbackUrl = port === undefined ? ready.url : `http://localhost:${port}`;
        await mock.addRedirectUri(client.clientId, redirectUri ?? redirectUriFor(target, ready.url));
        const deployment = new Deployment(options, tool, callbackUrl, client, identity, hosts, launcher);
        deployment.note('tool+callback', child, 'a');
        return deployment;
      } catch (error) {
        const explained = await explainStartFailure(child, error);
        await child.stop({ graceMs: 300 });
        throw explained;
      }
    }

    const callbackHost = hosts[shape.callbackHost];
    const started = await launcher.startCallback(`${label}.callback`, callbackHost);
    const redirectUri = redirectUriFor(target, started.url);
    await mock.addRedirectUri(client.clientId, redirectUri);
    const toolChild = launcher.spawn('tool', `${label}.tool`, hosts.a, undefined, redirectUri);
    let tool: ToolClient;
    try {
      tool = await ToolClient.connect(toolChild);
    } catch (error) {
      const explained = await explainStartFailure(toolChild, error);
      await Promise.all([toolChild.stop({ graceMs: 300 }), started.child.stop({ graceMs: 300 })]);
      throw explained;
    }
    const deployment = new Deployment(options, tool, started.url, client, identity, hosts, launcher);
    deployment.callbackChild = started.child;
    deployment.callbackStarts = 1;
    deployment.note('callback', started.child, callbackHost.name);
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

  async stop(): Promise<void> {
    await this.tool.close();
    await Promise.all([this.tool.child.stop(), this.callbackChild?.stop()]);
  }

  private note(role: string, child: RunningChild, host: string): void {
    this.processes.push({ role: role === 'callback' ? 'callback' : 'tool', name: child.spec.name, pid: child.pid, host });
    this.options.history.record({ type: 'info', f: 'process-started', process: `${role}#${child.pid}`, value: { name: child.spec.name, pid: child.pid, host } });
  }
}


/**
 * A process that died while starting says more than the MCP client's
 * "Connection closed": its exit code and last words. Its exit may be a few
 * milliseconds behind the closed pipe, so it gets a moment to be reported.
 */
async function explainStartFailure(child: RunningChild, error: unknown): Promise<Error> {
  const why = error instanceof Error ? error : new Error(String(error));
  const info = await Promise.race([child.exited, delay(1000).then(() => undefined)]);
  if (!info || info.stoppedBy !== 'self') return why;
  const said = child.stderr.lines.filter((line) => line.trim()).at(-1);
  return new Error(`${child.spec.name} exited before it was ready (code ${info.code}, signal ${info.signal})${said ? `: ${said.trim().slice(0, 200)}` : ''}\n${why.message}`);
}
