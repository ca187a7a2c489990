/**
 * Starts one of a target's processes on a simulated host: its command from
 * the target file (or its factory module through the harness's launcher),
 * its environment in the target's own variable names, the host's /tmp,
 * TMPDIR and HOME, every folder the target needs still in view, and, for
 * Node targets that call Atlassian's hosts themselves, the preload that
 * sends those calls to the run's mock and refuses every other outbound host.
 * A server that is not Node and hard-codes its provider's hosts runs, where
 * it can, in a network namespace per host (interception/host-network.ts):
 * loopback only, with a relay that lets its processes reach the harness's
 * services and the TLS front, and the harness reach its callback port.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isolationMode, onHost, type Host } from './hosts.ts';
import { processCommand } from './launch/role-command.ts';
import { nodeOptionsImporting, PROVIDER_INTERCEPT_PRELOAD } from './preload/preloads.ts';
import { spawnChild, type RunningChild } from './process/child-process.ts';
import type { ProviderInterception } from './interception/provider-interception.ts';
import { HostNetwork } from './interception/host-network.ts';
import { HostNetworks } from './interception/host-networks.ts';
import { loopbackPorts } from './interception/loopback-ports.ts';
import { explainStartFailure, waitUntilReady } from './process/readiness.ts';
import { freePort } from './process/free-port.ts';
import { hostsOf } from './flow/provider-hosts.ts';
import { MOCK_COMPANY_URL, MOCK_USER_EMAIL, type RegisteredClient } from './services/mock-atlassian.ts';
import type { TargetDescription, TargetInputs } from './target/target-description.ts';
import { foldersVisibleOnHost } from './target/visible-folders.ts';
import type { RunFolder } from '../core/run-folder.ts';
import type { MockAtlassian } from './services/mock-atlassian.ts';

/** What a launcher needs of a deployment's options (deployment.ts passes its own). */
export interface LaunchOptions {
  target: TargetDescription;
  store: string;
  label: string;
  mock: MockAtlassian;
  run: RunFolder;
  extraEnv?: Record<string, string>;
  targetDefaultStore?: boolean;
  redisUrl?: string;
  providerTimeoutMs?: number;
}

/**
 * What the processes of one deployment share and no other deployment has: a
 * user (tokens are stored under the user's email, so deployments sharing a
 * redis-server cannot see each other's tokens) and a sealing key.
 */
export interface DeploymentIdentity {
  userEmail: string;
  sealKey: string;
}

export function deploymentIdentity(label: string): DeploymentIdentity {
  const [local, domain] = MOCK_USER_EMAIL.split('@');
  const tag = label.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40);
  return { userEmail: `${local}+${tag}@${domain}`, sealKey: randomBytes(32).toString('base64url') };
}

export function redirectUriFor(target: Pick<TargetDescription, 'callbackPath'>, baseUrl: string): string {
  return new URL(target.callbackPath, baseUrl).toString();
}

type Role = TargetInputs['role'];

export class TargetLauncher {
  constructor(
    private readonly options: LaunchOptions,
    private readonly client: RegisteredClient,
    private readonly identity: DeploymentIdentity,
  ) {}

  /** The interception log of this deployment: what the preload redirected and what it refused (the TLS front's, for a server that is not Node). */
  get interceptLog(): string {
    return this.interception?.logFile ?? path.join(this.options.run.logDir, `intercept.${this.options.label}.jsonl`);
  }

  /** A server that is not Node and calls its provider's hosts itself: the run's TLS front, and what its processes bind and trust. */
  private interception: ProviderInterception | undefined;

  /** The hosts' network namespaces, where the front is relayed into them (the front's `relay`); else each process is on the machine's network. */
  private networks: HostNetworks | undefined;

  /** The ports processes of this deployment listen on for the harness: relayed in to their host, never out of another. */
  private readonly listenPorts = new Set<number>();

  /** Each listening process's inbound relay, settled once the harness can reach it. */
  private readonly inboundRelays = new WeakMap<RunningChild, Promise<void>>();

  /** What must run before the first process: the TLS front, for a server the Node preload cannot reach. */
  async prepare(): Promise<void> {
    const { target, mock, run, label } = this.options;
    if (target.providerHosts !== 'hard-coded' || target.runtime !== 'other') return;
    // The front needs each process's own /etc/hosts (a mount namespace) and port 443 (root); otherwise the HTTPS proxy.
    const front = isolationMode().kind === 'mount-namespace' && process.getuid?.() === 0;
    this.interception = await mock.providerInterception(hostsOf(mock.provider), front ? 'front' : 'proxy');
    const relay = this.interception.relay;
    if (!relay) return;
    let made = 0;
    this.networks = new HostNetworks((host, ports) => new HostNetwork({ name: `${label}.${host.name}.netns-${++made}`, logDir: run.logDir, ports, front: relay }));
  }

  spawn(role: Role, name: string, host: Host, port: number | undefined, redirectUri: string | undefined, extraEnv: Record<string, string> = {}): RunningChild {
    const { target, run } = this.options;
    const inputs = this.inputs(role, host, port, redirectUri);
    // The same inputs give the environment and, for a factory module, the launcher's --config.
    const started = processCommand(target, target[role], inputs);
    const wrapped = onHost(host, started.command, started.args, foldersVisibleOnHost({ target, run, host, started }), this.interception?.binds ?? []);
    const env = this.environment(role, inputs, extraEnv);
    if (!this.networks) return spawnChild({ name, command: wrapped.command, args: wrapped.args, cwd: target.cwd, env, logDir: run.logDir });

    if (role !== 'tool' && port !== undefined) this.listenPorts.add(port);
    const entered = this.networks.enter(host, this.outboundPorts(inputs, env));
    let child: RunningChild;
    try {
      const inside = entered.network.wrap(entered.gate, wrapped.command, wrapped.args);
      child = spawnChild({ name, command: inside.command, args: inside.args, cwd: target.cwd, env, logDir: run.logDir });
    } catch (error) {
      entered.failed();
      throw error;
    }
    entered.started(child);
    if (role !== 'tool' && port !== undefined) this.relayInbound(child, entered.network, port);
    else if (role === 'both') {
      // A port the process announces: relayed as soon as it says which (the deployment waits for the same line).
      void waitUntilReady(child, target.both.ready, undefined).then(
        (ready) => this.relayInbound(child, entered.network, ready.port),
        () => undefined,
      );
    }
    return child;
  }

  /**
   * The loopback ports of the harness a process may reach from its host's
   * namespace: the mock's, redis's, and any its variables name, but not a
   * port a process of the deployment listens on (the harness's way in to a
   * host, which another host must not reach through it).
   */
  private outboundPorts(inputs: TargetInputs, env: Record<string, string>): number[] {
    const named = [this.options.mock.url, inputs.redisUrl ?? '', ...Object.values(env)];
    return loopbackPorts(named).filter((port) => !this.listenPorts.has(port));
  }

  private relayInbound(child: RunningChild, network: HostNetwork, port: number): Promise<void> {
    this.listenPorts.add(port);
    const relayed = network.forwardInbound(port);
    // Awaited by startCallback; a process started otherwise finds out when the harness cannot connect.
    relayed.catch(() => undefined);
    this.inboundRelays.set(child, relayed);
    return relayed;
  }

  /** A callback process, ready: on `port`, or on a port of its own choosing (announced) or the harness's (assigned). */
  async startCallback(name: string, host: Host, port?: number, extraEnv: Record<string, string> = {}): Promise<{ child: RunningChild; url: string }> {
    const { target } = this.options;
    const assigned = port ?? (target.port === 'assigned' ? await freePort() : undefined);
    const redirectUri = assigned === undefined ? undefined : redirectUriFor(target, `http://localhost:${assigned}`);
    const child = this.spawn('callback', name, host, assigned, redirectUri, extraEnv);
    try {
      const ready = await waitUntilReady(child, target.callback.ready, assigned);
      // In a network namespace, the harness reaches the port through its relay: in place before the URL is handed out.
      const network = this.networks?.networkOf(host);
      if (network) await (this.inboundRelays.get(child) ?? this.relayInbound(child, network, ready.port));
      return { child, url: assigned === undefined ? ready.url : `http://localhost:${assigned}` };
    } catch (error) {
      const explained = await explainStartFailure(child, error);
      await child.stop({ graceMs: 300 });
      throw explained;
    }
  }

  /** What the target file's `env` and `launch.config` get for one process. */
  private inputs(role: Role, host: Host, port: number | undefined, redirectUri: string | undefined): TargetInputs {
    const { mock, run } = this.options;
    return {
      role,
      store: this.options.targetDefaultStore ? undefined : this.options.store,
      authUrl: mock.url,
      apiUrl: mock.url,
      clientId: this.client.clientId,
      clientSecret: this.client.clientSecret,
      redirectUri,
      port: String(port ?? 0),
      tmpDir: isolationMode().kind === 'mount-namespace' ? '/tmp' : host.tmp,
      homeDir: host.home,
      companyUrl: MOCK_COMPANY_URL,
      userEmail: this.identity.userEmail,
      redisUrl: this.options.redisUrl ?? run.services.redisUrl,
      sealKey: this.identity.sealKey,
      providerTimeoutMs: this.options.providerTimeoutMs === undefined ? undefined : String(this.options.providerTimeoutMs),
    };
  }

  /**
   * The target's own variables (its fixed `env` under `env(input)`), then
   * what the harness sets over them: TMPDIR and HOME of the host, the
   * measurement's variables, and the interception of the provider's hosts.
   * NODE_OPTIONS is the one variable both may set: the harness's preloads go
   * first and the target's own options follow, so neither loses the other's.
   */
  private environment(role: Role, inputs: TargetInputs, extraEnv: Record<string, string>): Record<string, string> {
    const { target, mock } = this.options;
    const own = { ...(target[role].env ?? {}), ...target.env(inputs) };
    const harness = { ...this.options.extraEnv, ...extraEnv };
    const env: Record<string, string> = { ...own, TMPDIR: inputs.tmpDir, HOME: inputs.homeDir, ...harness, ...(this.interception?.env ?? {}) };
    const interception = target.providerHosts === 'hard-coded' && target.runtime === 'node';
    if (interception) {
      env.OAUTH_REPRO_MOCK_URL = mock.url;
      env.OAUTH_REPRO_PROVIDER_HOSTS = hostsOf(mock.provider).join(',');
      env.OAUTH_REPRO_INTERCEPT_LOG = this.interceptLog;
    }
    // The interception goes first, so no request can leave before it is in place. One preload named twice (a process given the deployment's variables again) is named once.
    const preloads = [interception ? nodeOptionsImporting([PROVIDER_INTERCEPT_PRELOAD]) : undefined, this.options.extraEnv?.NODE_OPTIONS, extraEnv.NODE_OPTIONS];
    const nodeOptions = [...new Set(preloads.filter((value): value is string => Boolean(value))), own.NODE_OPTIONS].filter(Boolean).join(' ');
    if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
    else delete env.NODE_OPTIONS;
    return env;
  }
}
