/**
 * Starts a target's processes in a topology against the mock Atlassian
 * server, and keeps what a flow needs: the MCP client of the tool process,
 * the callback's base URL, the pids, and a way to restart the callback.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ToolClient } from '../mcp/tool-client.ts';
import { MOCK_COMPANY_URL, MOCK_USER_EMAIL, type MockAtlassian, type RegisteredClient } from '../mock/mock-atlassian.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import type { History } from '../run/history.ts';
import { SHARED_TMP_MODE, type RunFolder } from '../run/run-folder.ts';
import type { TargetDescription } from '../target/target-description.ts';
import { TOPOLOGIES, type TopologyName } from './topologies.ts';

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
}

export interface ProcessRecord {
  role: 'tool' | 'callback';
  name: string;
  pid: number;
  host: string;
}

interface Host {
  name: string;
  tmp: string;
  home: string;
}

export class Deployment {
  readonly processes: ProcessRecord[] = [];
  private callbackChild: RunningChild | undefined;
  private callbackStarts = 0;

  private constructor(
    private readonly options: DeployOptions,
    readonly tool: ToolClient,
    readonly callbackUrl: string,
    private readonly client: RegisteredClient,
    private readonly hosts: Record<'a' | 'b', Host>,
  ) {}

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
    const shape = TOPOLOGIES[topology];
    const hosts = { a: makeHost(run, label, 'a'), b: makeHost(run, label, 'b') };
    const client = await mock.registerClient(`repro-${label}`);
    const baseEnv = (host: Host, redirectUri: string | undefined) => processEnvironment(options, client, host, redirectUri, '0');

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
      const deployment = new Deployment(options, tool, ready.url, client, hosts);
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
    const deployment = new Deployment(options, tool, ready.url, client, hosts);
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
        env: processEnvironment(this.options, this.client, host, undefined, port),
        logDir: run.logDir,
      });
      await fresh.waitForReady('stdout', target.callbackReadyService);
      this.callbackChild = fresh;
      this.note('callback', fresh, host.name);
      return { killed: old.pid, started: fresh.pid };
    });
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

/** The target's environment for one process, plus the host it runs on. */
function processEnvironment(
  options: DeployOptions,
  client: RegisteredClient,
  host: Host,
  redirectUri: string | undefined,
  port: string,
): Record<string, string> {
  return {
    ...options.target.environment({
      store: options.store,
      authUrl: options.mock.url,
      apiUrl: options.mock.url,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      redirectUri,
      port,
      companyUrl: MOCK_COMPANY_URL,
      userEmail: MOCK_USER_EMAIL,
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
