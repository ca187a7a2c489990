/**
 * Replicas of a remote server behind a real balancer, for one scenario ×
 * store: one haproxy per listener (the MCP endpoint's first), each replica
 * a real OS process on a simulated host (its own, or one every replica
 * shares), started with the target's `env(input)`. The balancers start
 * first: their URLs are what every replica must call itself.
 *
 * A server that takes its public URL from its environment (`from-env`)
 * listens on ports of its own; one that names itself by the port it
 * listens on (`own-port`) runs each replica in a network namespace of its
 * own on the balancer's ports, reached through unix sockets
 * (namespaced-replica.ts). What happens to the replicas during a run (a
 * restart, one added) is kept as operations, with their times, for the
 * history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunFolder } from '../../core/run-folder.ts';
import type { BalancerPolicy, Replica } from '../balancer/balancer-description.ts';
import type { ReplicaOperation } from '../../core/remote-vocabulary.ts';

export type { ReplicaOperation };
import { HaproxyBalancer } from '../balancer/haproxy-balancer.ts';
import { makeHost, onHost, isolationMode, type Host } from '../hosts.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { explainStartFailure, waitUntilReady } from '../process/readiness.ts';
import { freePort } from '../process/free-port.ts';
import { MOCK_COMPANY_URL, type MockAtlassian } from '../services/mock-atlassian.ts';
import { deploymentIdentity, type DeploymentIdentity } from '../target-launcher.ts';
import type { RemoteInputs, RemoteTargetDescription } from '../target/remote-target-description.ts';
import { remoteFoldersVisibleOnHost } from '../target/visible-folders.ts';
import { startNamespacedReplica } from './namespaced-replica.ts';
import { startExternalAuthorizationServer, type ExternalAuthorizationServer } from './authorization-server/external-authorization-server.ts';

export interface RemoteDeploymentOptions {
  target: RemoteTargetDescription;
  /** undefined: the server's own default store (no store variable). */
  store: string | undefined;
  /** Names this deployment's processes, logs and hosts; unique within the run. */
  label: string;
  replicas: number;
  policy: BalancerPolicy;
  hosts: 'own' | 'shared';
  mock: MockAtlassian;
  run: RunFolder;
  /** Added to every replica's environment (a preload in NODE_OPTIONS, say): the harness's NODE_OPTIONS go first, the target's own follow. */
  extraEnv?: Readonly<Record<string, string>>;
  /** The Redis the replicas are told of, instead of the run's (a database of the measurement's own). */
  redisUrl?: string;
}


interface RunningReplica {
  name: string;
  host: Host;
  /** Listener name → the port this replica listens on. */
  ports: Record<string, number>;
  pid: number;
  /** Each start of this replica, from 1: names its processes apart. */
  generation: number;
  stop(): Promise<void>;
}

const REPLICA_NAMES = 'abcdefgh';

export class RemoteDeployment {
  readonly operations: ReplicaOperation[] = [];
  private readonly replicas: RunningReplica[] = [];
  private readonly fronts: HaproxyBalancer[] = [];
  private readonly startedAt = performance.now();
  private stopped = false;

  private constructor(
    private readonly options: RemoteDeploymentOptions,
    /** Listener name → its balancer. */
    private readonly balancers: ReadonlyMap<string, HaproxyBalancer>,
    private readonly client: { clientId: string; clientSecret: string; providerRedirectUri: string | undefined },
    private readonly identity: DeploymentIdentity,
    /** Where the namespaced replicas' sockets are (own-port); empty otherwise. */
    private readonly socketDir: string,
    /** A `resource` server's authorization server: one process for the deployment, outside the balancer. */
    private readonly authorizationServer: ExternalAuthorizationServer | undefined,
  ) {}

  /** The MCP endpoint through the balancer: what the client connects to. */
  get mcpUrl(): string {
    return new URL(this.options.target.remote.mcpPath, this.publicUrls[this.options.target.remote.listeners[0]!]).href;
  }

  /** The balancers' URLs, by listener: as the server names itself (an own-port server says http://localhost:<port>). */
  get publicUrls(): Record<string, string> {
    return Object.fromEntries([...this.balancers].map(([listener, balancer]) => [listener, publicUrlOf(this.options.target, balancer)]));
  }

  /** Every folder of the replicas' hosts (each host's /tmp and home, once each): what the replicas can write to. */
  get hostFolders(): string[] {
    return [...new Set(this.replicas.flatMap((replica) => [replica.host.tmp, replica.host.home]))];
  }

  /** Every replica's name, in the balancer's order. */
  get replicaNames(): string[] {
    return this.replicas.map((replica) => replica.name);
  }

  static async start(options: RemoteDeploymentOptions): Promise<RemoteDeployment> {
    const { target, run, label } = options;
    const names = [...REPLICA_NAMES.slice(0, options.replicas)];
    const hosts = names.map((name) => makeHost(run, label, options.hosts === 'shared' ? 'shared' : name));
    const ownPort = target.remote.publicUrl === 'own-port';
    // Ports first: the balancers name every replica, and each replica is told the balancers' URLs.
    const frontendPorts: Record<string, number> = {};
    for (const listener of target.remote.listeners) frontendPorts[listener] = await freePort();
    const replicaPorts: Record<string, number>[] = [];
    for (const _name of names) replicaPorts.push(ownPort ? { ...frontendPorts } : await freePorts(target.remote.listeners));
    const balancers = new Map<string, HaproxyBalancer>();
    let authorizationServer: ExternalAuthorizationServer | undefined;
    // Short (a socket path holds about 100 bytes), and outside any host's /tmp: the bridges run in the real one. The balancers' runtime sockets go there too.
    const socketDir = mkdtempSync(path.join(os.tmpdir(), 'ors-sock-'));
    try {
      for (const listener of target.remote.listeners) {
        const replicas = names.map((name, i) => balancerEntry(options, socketDir, name, replicaPorts[i]![listener]!));
        const port = frontendPorts[listener]!;
        balancers.set(listener, await HaproxyBalancer.start({ runDir: run.logDir, name: `${label}-lb-${listener}`, socketDir, policy: options.policy, replicas, pickPort: async () => port }));
      }
      const publicUrl = publicUrlOf(target, balancers.get(target.remote.listeners[0]!)!);
      const providerRedirectUri = target.remote.oauth.role === 'proxy' ? new URL(target.remote.oauth.providerCallbackPath, publicUrl).href : undefined;
      const clientId = `remote-${label}`.slice(0, 64);
      const { clientSecret } = await options.mock.registerClient(clientId, providerRedirectUri ? [providerRedirectUri] : []);
      if (target.remote.oauth.role === 'resource') {
        // Before the replicas, which are told where it is; it issues tokens for the balancer's MCP endpoint only.
        authorizationServer = await startExternalAuthorizationServer({ name: `${label}-authorization-server`, logDir: run.logDir, mcpUrl: new URL(target.remote.mcpPath, publicUrl).href });
      }
      const deployment = new RemoteDeployment(options, balancers, { clientId, clientSecret, providerRedirectUri }, deploymentIdentity(label), socketDir, authorizationServer);
      try {
        // In parallel: each replica's start is its own process's work.
        const started = await Promise.allSettled(names.map((name, i) => deployment.startReplica(name, hosts[i]!, replicaPorts[i]!, 1)));
        for (const result of started) if (result.status === 'fulfilled') deployment.replicas.push(result.value);
        const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed) throw failed.reason;
        deployment.replicas.sort((x, y) => x.name.localeCompare(y.name));
        return deployment;
      } catch (error) {
        await deployment.stop();
        throw error;
      }
    } catch (error) {
      await Promise.all([...balancers.values()].map((balancer) => balancer.stop()));
      await authorizationServer?.stop();
      rmSync(socketDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Every replica stopped and started again, one after another, on its host: a rolling deploy. A replica
   * in a namespace of its own comes back on the same ports; one on the shared loopback on new ports (the
   * old ones may have been taken meanwhile, as a new pod gets a new address), which the balancers are told.
   */
  async rollingRestart(): Promise<void> {
    const ownPort = this.options.target.remote.publicUrl === 'own-port';
    for (const [i, replica] of this.replicas.entries()) {
      await replica.stop();
      this.note('stop', replica.name, replica.pid);
      const ports = ownPort ? replica.ports : await freePorts(this.options.target.remote.listeners);
      this.replicas[i] = await this.startReplica(replica.name, replica.host, ports, replica.generation + 1);
      if (!ownPort) for (const [listener, balancer] of this.balancers) await balancer.moveReplica(balancerEntry(this.options, this.socketDir, replica.name, ports[listener]!));
    }
  }

  /** One more replica, on a host of its own or the shared one, taking traffic when this returns. */
  async addReplica(): Promise<string> {
    const { target, run, label } = this.options;
    const name = REPLICA_NAMES[this.replicas.length];
    if (!name) throw new Error(`remote deployment ${label}: at most ${REPLICA_NAMES.length} replicas`);
    const host = makeHost(run, label, this.options.hosts === 'shared' ? 'shared' : name);
    const ports = target.remote.publicUrl === 'own-port' ? Object.fromEntries([...this.balancers].map(([listener, balancer]) => [listener, balancer.port])) : await freePorts(target.remote.listeners);
    const replica = await this.startReplica(name, host, ports, 1);
    this.replicas.push(replica);
    for (const [listener, balancer] of this.balancers) await balancer.addReplica(balancerEntry(this.options, this.socketDir, name, ports[listener]!));
    this.note('add', name, replica.pid);
    return name;
  }

  /**
   * A second balancer in front of the same replicas, with the same policy, that sets `headers` on every request:
   * how a client that cannot send a bearer token of its own (the conformance suite) reaches an authorizing server.
   * Its URL (the first listener's); it stops with the deployment.
   */
  async openFront(name: string, headers: Readonly<Record<string, string>>): Promise<string> {
    const listener = this.options.target.remote.listeners[0]!;
    const replicas = this.replicas.map((replica) => balancerEntry(this.options, this.socketDir, replica.name, replica.ports[listener]!));
    const front = await HaproxyBalancer.start({ runDir: this.options.run.logDir, name: `${this.options.label}-${name}`, socketDir: this.socketDir, policy: this.options.policy, replicas, requestHeaders: headers });
    this.fronts.push(front);
    return front.url;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await Promise.all(this.fronts.map((front) => front.stop()));
    // A front's config holds the bearer token it adds: it goes with the front.
    for (const front of this.fronts) rmSync(front.configPath, { force: true });
    this.stopped = true;
    await Promise.all([...this.balancers.values()].map((balancer) => balancer.stop()));
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    await this.authorizationServer?.stop();
    rmSync(this.socketDir, { recursive: true, force: true });
  }

  private note(op: ReplicaOperation['op'], replica: string, pid?: number): void {
    this.operations.push({ op, replica, ...(pid !== undefined ? { pid } : {}), atMs: Math.round(performance.now() - this.startedAt) });
  }

  private inputs(name: string, host: Host, ports: Record<string, number>): RemoteInputs {
    const publicUrls = this.publicUrls;
    return {
      replica: name,
      store: this.options.store,
      publicUrl: publicUrls[this.options.target.remote.listeners[0]!]!,
      publicUrls,
      ports: Object.fromEntries(Object.entries(ports).map(([listener, port]) => [listener, String(port)])),
      authUrl: this.options.mock.url,
      apiUrl: this.options.mock.url,
      clientId: this.client.clientId,
      clientSecret: this.client.clientSecret,
      providerRedirectUri: this.client.providerRedirectUri,
      tmpDir: isolationMode().kind === 'mount-namespace' ? '/tmp' : host.tmp,
      homeDir: host.home,
      companyUrl: MOCK_COMPANY_URL,
      userEmail: this.identity.userEmail,
      redisUrl: this.options.redisUrl ?? this.options.run.services.redisUrl,
      sealKey: this.identity.sealKey,
      authorizationServer: this.authorizationServer ? { issuer: this.authorizationServer.issuer, introspectionEndpoint: this.authorizationServer.introspectionEndpoint } : undefined,
    };
  }

  private async startReplica(name: string, host: Host, ports: Record<string, number>, generation: number): Promise<RunningReplica> {
    const { target, run, label } = this.options;
    const { remote } = target;
    const inputs = this.inputs(name, host, ports);
    const command = remote.command === 'node' ? process.execPath : remote.command;
    const onItsHost = onHost(host, command, remote.args, remoteFoldersVisibleOnHost({ target, run, host, started: { command, args: remote.args } }));
    const env = replicaEnvironment(remote.env(inputs), inputs, this.options.extraEnv);
    const processName = `${label}-${name}${generation > 1 ? `-start${generation}` : ''}`;
    const firstPort = ports[remote.listeners[0]!]!;
    const ready = async (child: RunningChild) => {
      for (const readiness of remote.ready) await waitUntilReady(child, readiness, firstPort);
    };
    if (remote.publicUrl === 'own-port') {
      const replica = await startNamespacedReplica({
        name: processName,
        logDir: run.logDir,
        command: onItsHost.command,
        args: onItsHost.args,
        env,
        socketDir: this.socketDir,
        socketName: name,
        ports: Object.values(ports),
        ready,
      });
      this.note('start', name, replica.server.pid);
      return { name, host, ports, pid: replica.server.pid, generation, stop: () => replica.stop() };
    }
    const child = spawnChild({ name: processName, command: onItsHost.command, args: onItsHost.args, cwd: target.cwd, env, logDir: run.logDir });
    try {
      await ready(child);
    } catch (error) {
      const explained = await explainStartFailure(child, error);
      await child.stop({ graceMs: 300 });
      throw explained;
    }
    this.note('start', name, child.pid);
    return { name, host, ports, pid: child.pid, generation, stop: () => child.stop({ graceMs: 1000 }).then(() => undefined) };
  }
}

/** The target's variables, the host's TMPDIR and HOME over them, then the harness's; NODE_OPTIONS joined, the harness's preloads first, so neither loses the other's. */
function replicaEnvironment(own: Record<string, string>, inputs: RemoteInputs, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = { ...own, TMPDIR: inputs.tmpDir, HOME: inputs.homeDir, ...extra };
  const nodeOptions = [extra.NODE_OPTIONS, own.NODE_OPTIONS].filter(Boolean).join(' ');
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  return env;
}

/** A balancer's URL as the server names itself: an own-port server says http://localhost:<port>; one told its URL gets the loopback address. */
function publicUrlOf(target: RemoteTargetDescription, balancer: HaproxyBalancer): string {
  return `http://${target.remote.publicUrl === 'own-port' ? 'localhost' : '127.0.0.1'}:${balancer.port}`;
}

async function freePorts(listeners: readonly string[]): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const listener of listeners) ports[listener] = await freePort();
  return ports;
}

/** How a balancer reaches one replica's listener: its TCP port, or the socket bridged into its namespace. */
function balancerEntry(options: RemoteDeploymentOptions, socketDir: string, name: string, port: number): Replica {
  if (options.target.remote.publicUrl !== 'own-port') return { name, host: '127.0.0.1', port };
  // namespaced-replica.ts names each bridge's socket so; every start of the replica binds the same path again.
  return { name, socket: path.join(socketDir, `${name}-${port}.sock`) };
}
