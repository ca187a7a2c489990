/**
 * One simulated host's network namespace, for a target whose provider
 * calls the harness cannot preload: loopback only, so a connection to any
 * other address fails at once (ENETUNREACH) whatever the process resolves
 * or however. Every process of the host joins it, so they reach each
 * other's loopback ports; another host's processes are in another.
 *
 * The namespace belongs to its relay (netns-relay.mjs, started with
 * `unshare --net`): the host's processes enter it through the relay's pid
 * (`nsenter --net=/proc/PID/ns/net`), and it ends with the last of them and
 * the relay. No file names it, so nothing is left to unmount, even when
 * the harness is killed (the reaper ends the relay with its process group).
 *
 * This side, in the harness: a Unix socket the relay hands outbound
 * connections to (each to a port the harness allowed, connected on the
 * machine's 127.0.0.1), and, for a port a process of the host listens on,
 * a listener on the machine's 127.0.0.1:PORT that hands each connection to
 * the relay, which joins the namespace's 127.0.0.1:PORT. A process starts
 * only once the ports it needs are relayed: it waits at a gate the relay
 * opens (netns-relay.mjs says how).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimTemporaryFolder, removeTemporaryFolder } from '../../core/temporary-folders.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { readPreamble, splice } from './relay-stream.mjs';

const RELAY = fileURLToPath(new URL('./netns-relay.mjs', import.meta.url));

/**
 * What a host's process runs first: it waits at its gate, stops with the
 * relay's word when the gate carries an error, refuses a relay pid that is
 * not in a namespace of its own (the relay gone, its pid taken by another
 * process), then enters the namespace and becomes the rest of its command
 * (exec: the pid the harness watches stays the target's).
 */
const ENTER_NETWORK = [
  'g=$1; p=$2; shift 2',
  ': < "$g"',
  'if [ -s "$g.error" ]; then cat "$g.error" >&2; exit 1; fi',
  'ns=$(readlink "/proc/$p/ns/net") || { echo "enter-network: the relay of this host (pid $p) is gone" >&2; exit 1; }',
  '[ "$ns" != "$(readlink /proc/self/ns/net)" ] || { echo "enter-network: pid $p is not in a network namespace of its own: the relay of this host is gone" >&2; exit 1; }',
  'exec nsenter "--net=/proc/$p/ns/net" -- "$@"',
].join('\n');

export interface HostNetworkOptions {
  /** Names the relay's log: `<deployment>.<host>.netns-relay`. */
  name: string;
  logDir: string;
  /** The harness's loopback ports the host's first process may reach (more can follow, per process). */
  ports: readonly number[];
  /** The TLS front the provider's hosts resolve to: its address (listened on inside) and its Unix socket. */
  front?: { address: string; socket: string };
}

export class HostNetwork {
  private readonly dir: string;
  private readonly relay: RunningChild;
  private readonly allowed: Set<number>;
  private readonly outbound: net.Server;
  private readonly inbound = new Map<number, { server: net.Server; listening: Promise<void> }>();
  /** Every gate made, the first one (its ports: the first process's) included. */
  private readonly gates: string[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: HostNetworkOptions) {
    // Short: a Unix socket's path has about 100 bytes.
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-repro-netns-'));
    claimTemporaryFolder(this.dir);
    this.allowed = new Set(options.ports);
    this.outbound = net.createServer({ allowHalfOpen: true }, (inside) => void this.connectOut(inside));
    this.outbound.on('error', () => undefined);
    try {
      this.outbound.listen(this.socket('out'));
      const gate = this.makeGate();
      const config = { outSocket: this.socket('out'), inSocket: this.socket('in'), ports: [...this.allowed], gate, ...(options.front ? { front: options.front } : {}) };
      this.relay = spawnChild({
        name: options.name,
        command: 'unshare',
        // Loopback comes up before the relay runs: a new namespace has it down.
        args: ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns-up', process.execPath, RELAY, JSON.stringify(config)],
        env: {},
        logDir: options.logDir,
      });
    } catch (error) {
      this.outbound.close();
      removeTemporaryFolder(this.dir);
      throw error;
    }
    // A relay that is gone lets every waiting process through its gate, to read why and stop.
    void this.relay.exited.then((info) => this.releaseGates(`the relay of this host exited (code ${info.code}, signal ${info.signal})${this.relay.tail(5) ? `:\n${this.relay.tail(5)}` : ''}`));
  }

  /** The relay's pid: its namespace is the host's. */
  get pid(): number {
    return this.relay.pid;
  }

  get isRunning(): boolean {
    return this.relay.isRunning && !this.stopping;
  }

  /**
   * The gate of a process that may reach `ports` of the harness (the ones
   * not relayed yet are asked for): it opens once they are listened on
   * inside.
   */
  gateFor(ports: readonly number[]): string {
    if (!this.isRunning) throw new Error(`${this.options.name}: the host's network namespace is gone (its relay exited)`);
    const more = [...new Set(ports)].filter((port) => !this.allowed.has(port));
    if (more.length === 0) return this.gates[0]!;
    for (const port of more) this.allowed.add(port);
    const gate = this.makeGate();
    this.relay.subprocess.stdin?.write(`${JSON.stringify({ listen: more, gate })}\n`);
    return gate;
  }

  /** `command args`, run inside this namespace once `gate` opens (the same pid throughout). */
  wrap(gate: string, command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'sh', args: ['-c', ENTER_NETWORK, 'enter-network', gate, String(this.relay.pid), command, ...args] };
  }

  /**
   * The machine's 127.0.0.1:PORT, relayed to the namespace's: the harness
   * reaches a process of this host listening there at the address it would
   * use without a namespace. Bound at once (the port must be free on the
   * machine); the promise settles when it listens.
   */
  forwardInbound(port: number): Promise<void> {
    const known = this.inbound.get(port);
    if (known) return known.listening;
    const server = net.createServer({ allowHalfOpen: true }, (outside) => {
      const inside = net.connect({ path: this.socket('in'), allowHalfOpen: true });
      inside.write(`${port}\n`);
      splice(outside, inside);
      outside.on('error', () => undefined);
      inside.on('error', () => undefined);
    });
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`${this.options.name}: cannot relay 127.0.0.1:${port} into the host's network namespace: ${error.code === 'EADDRINUSE' ? 'the port is taken on the harness\'s side' : error.message}`, { cause: error })),
      );
      server.listen({ port, host: '127.0.0.1' }, () => resolve());
    });
    listening.catch(() => this.inbound.delete(port));
    this.inbound.set(port, { server, listening });
    return listening;
  }

  /** Ends the relay (the namespace goes with the host's last process) and frees the ports and the folder. Once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Synchronously, first: a callback restarted on a fresh namespace binds the same port next.
      for (const { server } of this.inbound.values()) server.close();
      this.outbound.close();
      await this.relay.stop({ graceMs: 300 });
      removeTemporaryFolder(this.dir);
    })();
    return this.stopping;
  }

  private socket(name: 'in' | 'out'): string {
    return path.join(this.dir, `${name}.sock`);
  }

  private makeGate(): string {
    const gate = path.join(this.dir, `gate-${this.gates.length}`);
    const made = spawnSync('mkfifo', ['-m', '600', gate], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`${this.options.name}: mkfifo ${gate} failed: ${(made.stderr || made.error?.message || `exit ${made.status}`).trim()}`);
    this.gates.push(gate);
    return gate;
  }

  /** Every gate opened for a moment with `why` beside it: a process waiting at one reads it and stops. */
  private releaseGates(why: string): void {
    for (const gate of this.gates) {
      try {
        if (!existsSync(`${gate}.error`)) writeFileSync(`${gate}.error`, `${this.options.name}: ${why}\n`);
        // Read and write: never blocks, and wakes every reader waiting for a writer.
        closeSync(openSync(gate, 'r+'));
      } catch {
        // The folder is gone: so is every process that could wait there.
      }
    }
  }

  private async connectOut(inside: net.Socket): Promise<void> {
    inside.on('error', () => undefined);
    try {
      const port = Number(await readPreamble(inside));
      // Only the ports this host was given: the relay asks for nothing else, and nothing else is answered.
      if (!this.allowed.has(port)) throw new Error(`port ${port} is not one this host may reach`);
      const upstream = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      upstream.on('error', () => undefined);
      splice(inside, upstream);
    } catch {
      inside.destroy();
    }
  }
}
