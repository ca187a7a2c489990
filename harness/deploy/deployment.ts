/**
 * harness/deploy/: putting a target on its feet: target descriptions, hosts and topologies, child processes and the reaper, the MCP client, the user agent, preloads, the mock and redis services, deployment pools.
 *
 * Starts a target's processes in a topology against the mock Atlassian
 * server, and keeps what a flow needs: the MCP client of the tool process,
 * the callback's base URL, the pids, and a way to restart the callback.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ToolClient } from './mcp/tool-client.ts';
import { MOCK_COMPANY_URL, MOCK_USER_EMAIL, type MockAtlassian, type RegisteredClient } from './services/mock-atlassian.ts';
import { spawnChild, type RunningChild } from './process/child-process.ts';
import type { History } from '../core/history.ts';
import { SHARED_TMP_MODE, type RunFolder } from '../core/run-folder.ts';
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
}

interface Host {
  name: string;
  tmp: string;
  home: string;
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
  ) {}

  /** The OAuth client this deployment registered at the mock (its requests carry it). */
  get clientId(): string {
    return this.client.clientId;
  }

  /** The client with its secret, for checks that a secret never shows (logs, pages). */
  get registeredClient(): Readonly<RegisteredClient> {
    return this.client;
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
    const baseEnv = (host: Host, redirectUri: string | undefined) => processEnvironment(options, client, identity, host, redirectUri, '0');

    if (shape.callbackInToolProcess) {
      const toolChild = spawnChild({
        name: `${label}.tool`,
        command: target.toolProcess.command,
        args: [...target.toolProcess.args, ...target.serveCallbackArgs],
        cwd: target.cwd,
        env: baseEnv(hosts.a, undefined),
        logDir: run.logDir,
      });
      const [ready, tool] = await Promise.all([
        toolChild.waitForReady('stderr', target.callbackReadyService),
        ToolClient.connect(toolChild),
      ]);
      await mock.addRedirectUri(client.clientId, new URL(target.callbackPath, ready.url).toString());
      const deployment = new Deployment(options, tool, ready.url, client, identity, hosts);
      deployment.note('tool+callback', toolChild, 'a');
      return deployment;
    }

    const callbackHost = hosts[shape.callbackHost];
    const callbackChild = spawnChild({
      name: `${label}.callback`,
      command: target.callbackProcess.command,
      args: target.callbackProcess.args,
      cwd: target.cwd,
      env: baseEnv(callbackHost, undefined),
      logDir: run.logDir,
    });
    const ready = await callbackChild.waitForReady('stdout', target.callbackReadyService);
    const redirectUri = new URL(target.callbackPath, ready.url).toString();
    await mock.addRedirectUri(client.clientId, redirectUri);
    const toolChild = spawnChild({
      name: `${label}.tool`,
      command: target.toolProcess.command,
      args: target.toolProcess.args,
      cwd: target.cwd,
      env: { ...baseEnv(hosts.a, redirectUri) },
      logDir: run.logDir,
    });
    const tool = await ToolClient.connect(toolChild);
    const deployment = new Deployment(options, tool, ready.url, client, identity, hosts);
    deployment.callbackChild = callbackChild;
    deployment.callbackStarts = 1;
    deployment.note('callback', callbackChild, callbackHost.name);
    deployment.note('tool', toolChild, 'a');
    return deployment;
  }

  /** Kills the callback process (SIGKILL, as a crash) and starts it again on the same port. */
  async restartCallback(): Promise<void> {
    const old = this.callbackChild;
    if (!old) throw new Error(`restart-callback: topology ${this.options.topology} has no separate callback process`);
    const { target, run, label, history } = this.options;
    const port = new URL(this.callbackUrl).port;
    await history.perform({ f: 'restart-callback', process: 'nemesis', value: { killed: old.pid } }, async () => {
      await old.kill();
      const host = this.hosts[TOPOLOGIES[this.options.topology].callbackHost];
      this.callbackStarts += 1;
      const fresh = spawnChild({
        name: `${label}.callback-${this.callbackStarts}`,
        command: target.callbackProcess.command,
        args: target.callbackProcess.args,
        cwd: target.cwd,
        env: processEnvironment(this.options, this.client, this.identity, host, undefined, port),
        logDir: run.logDir,
      });
      await fresh.waitForReady('stdout', target.callbackReadyService);
      this.callbackChild = fresh;
      this.note('callback', fresh, host.name);
      return { killed: old.pid, started: fresh.pid };
    });
  }

  /**
   * A second callback process beside this deployment's own: same store, same
   * host, same client and identity, its own ephemeral port. Two callback
   * processes behind one redirect URI is what a load balancer, a restart
   * overlap or a second replica gives. The caller stops it.
   */
  async startExtraCallback(name: string, extraEnv: Record<string, string> = {}): Promise<{ child: RunningChild; url: string }> {
    const { target, run } = this.options;
    const host = this.hosts[TOPOLOGIES[this.options.topology].callbackHost];
    const child = spawnChild({
      name,
      command: target.callbackProcess.command,
      args: target.callbackProcess.args,
      cwd: target.cwd,
      env: { ...processEnvironment(this.options, this.client, this.identity, host, undefined, '0'), ...extraEnv },
      logDir: run.logDir,
    });
    try {
      const ready = await child.waitForReady('stdout', target.callbackReadyService);
      return { child, url: ready.url };
    } catch (error) {
      await child.stop({ graceMs: 500 });
      throw error;
    }
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
 * What the processes of one deployment share and no other deployment has: a
 * user (tokens are stored under the user's email, so deployments sharing a
 * redis-server cannot see each other's tokens) and a sealing key.
 */
interface DeploymentIdentity {
  userEmail: string;
  sealKey: string;
}

function deploymentIdentity(label: string): DeploymentIdentity {
  const [local, domain] = MOCK_USER_EMAIL.split('@');
  const tag = label.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40);
  return { userEmail: `${local}+${tag}@${domain}`, sealKey: randomBytes(32).toString('base64url') };
}

/** The target's environment for one process, plus the host it runs on. */
function processEnvironment(
  options: DeployOptions,
  client: RegisteredClient,
  identity: DeploymentIdentity,
  host: Host,
  redirectUri: string | undefined,
  port: string,
): Record<string, string> {
  return {
    ...options.target.environment({
      store: options.targetDefaultStore ? undefined : options.store,
      authUrl: options.mock.url,
      apiUrl: options.mock.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri,
      port,
      companyUrl: MOCK_COMPANY_URL,
      userEmail: identity.userEmail,
      redisUrl: options.run.services.redisUrl,
      sealKey: identity.sealKey,
    }),
    TMPDIR: host.tmp,
    HOME: host.home,
    ...options.extraEnv,
  };
}

function makeHost(run: RunFolder, label: string, name: string): Host {
  const root = path.join(run.hostsDir, label, name);
  const host = { name, tmp: path.join(root, 'tmp'), home: path.join(root, 'home') };
  mkdirSync(host.tmp, { recursive: true });
  chmodSync(host.tmp, SHARED_TMP_MODE);
  mkdirSync(host.home, { recursive: true });
  return host;
}
