/**
 * One replica of a remote server in a network namespace of its own, so that
 * several replicas listen on the same ports: the ports their public URLs
 * name (a server computing `http://localhost:${PORT}` from its environment
 * is then right about itself). Each listening port is bridged to a unix
 * socket, through which a balancer in the harness's namespace reaches it;
 * the balancer itself listens on those public ports. Loopback inside the
 * namespace is brought up, so the replica reaches its own other listeners
 * (the example server's resource server calls its authorization server at
 * localhost). Needs root (or CAP_SYS_ADMIN), unshare, nsenter and ip.
 *
 * Every process (the namespace holder, `ip link set lo up`, the server,
 * the bridges) is spawned through the one spawning module.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../process/find-executable.ts';
import { exitStatus, spawnChild, type RunningChild } from '../process/child-process.ts';

const HOLDER = fileURLToPath(new URL('./network-namespace-holder.mjs', import.meta.url));
const BRIDGE = fileURLToPath(new URL('./unix-socket-bridge.mjs', import.meta.url));
const TOOLS = ['unshare', 'nsenter', 'ip'] as const;

/** Why replicas cannot have namespaces of their own here, or undefined when they can. */
export function networkNamespacesUnavailable(): string | undefined {
  const missing = TOOLS.filter((tool) => findExecutable(tool) === undefined);
  if (missing.length > 0) return `network namespaces need ${missing.join(', ')} on PATH (util-linux, iproute2)`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (unshare --net)';
  return undefined;
}

export interface NamespacedReplicaOptions {
  /** Names the replica's processes and their log files. */
  name: string;
  logDir: string;
  /** Where the unix sockets go (short: a socket path is limited to about 100 bytes). */
  socketDir: string;
  /** Names the sockets (`<socketName>-<port>.sock`), default `name`: a replica started again under a new process name keeps its sockets' paths. */
  socketName?: string;
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The TCP ports the server listens on inside its namespace, each bridged to a socket. */
  ports: readonly number[];
  /** Resolves when the server is ready (its own announcement); rejects if it is not. */
  ready: (server: RunningChild) => Promise<unknown>;
}

export interface NamespacedReplica {
  name: string;
  server: RunningChild;
  /** Port inside the namespace → the unix socket that reaches it. */
  sockets: ReadonlyMap<number, string>;
  /** Every process of the replica, the holder last. */
  children: readonly RunningChild[];
  stop(): Promise<void>;
}

export async function startNamespacedReplica(options: NamespacedReplicaOptions): Promise<NamespacedReplica> {
  const unavailable = networkNamespacesUnavailable();
  if (unavailable) throw new Error(`replica ${options.name}: ${unavailable}`);
  const children: RunningChild[] = [];
  const sockets = new Map(options.ports.map((port) => [port, path.join(options.socketDir, `${options.socketName ?? options.name}-${port}.sock`)]));
  const stop = async () => {
    // The holder last: the namespace must outlive what runs in it. The others at once, with SIGTERM as a deploy stops a replica
    // (a server may ignore a closed stdin, as the SDK's example does: it would wait out a grace for nothing).
    const holder = children.at(-1);
    await Promise.all(children.slice(0, -1).map((child) => child.stop({ graceMs: 1000, signalFirst: true })));
    await holder?.stop({ graceMs: 1000 });
    // A bridge that had to be killed leaves its socket file; one that closed removed its own.
    for (const socket of sockets.values()) rmSync(socket, { force: true });
  };
  const inNamespace = (holder: RunningChild, suffix: string, command: string, args: readonly string[], env: NamespacedReplicaOptions['env'] = {}) => {
    const child = spawnChild({ name: `${options.name}-${suffix}`, command: 'nsenter', args: [`--target=${holder.pid}`, '--net', '--', command, ...args], env, logDir: options.logDir });
    children.unshift(child);
    return child;
  };
  try {
    const holder = spawnChild({ name: `${options.name}-netns`, command: 'unshare', args: ['--net', '--', process.execPath, HOLDER], env: {}, logDir: options.logDir });
    children.push(holder);
    await holder.waitForReady('stdout', 'network-namespace', 10_000);
    const loopback = inNamespace(holder, 'lo-up', 'ip', ['link', 'set', 'lo', 'up']);
    const loopbackExit = await loopback.exited;
    if (loopbackExit.code !== 0) throw loopback.startError(`could not bring loopback up in the namespace (${exitStatus(loopbackExit)})`);
    const server = inNamespace(holder, 'server', options.command, options.args, options.env);
    const bridges = [...sockets].map(([port, socket]) => inNamespace(holder, `bridge-${port}`, process.execPath, [BRIDGE, socket, String(port)]));
    await Promise.all([options.ready(server), ...bridges.map((bridge) => bridge.waitForReady('stdout', 'unix-socket-bridge', 10_000))]);
    return { name: options.name, server, sockets, children, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
