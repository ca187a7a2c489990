/**
 * A real load balancer for a run: Debian's haproxy on 127.0.0.1 in front of
 * replicas, started through the one spawning module (its own process group,
 * its log file in the run folder, the orphan reaper), and driven at runtime
 * through its admin socket in the run folder: add a replica, drain one, put
 * one in maintenance, bring it back, list them.
 *
 * Started as `haproxy -W -db`: in the foreground, with a master process
 * that forks the worker. The master is there for one line: haproxy alone
 * says nothing when it is ready, while the master prints "Loading success."
 * once its worker has started. The worker then answers `show info` on the
 * runtime socket, which proves its event loop runs and gives its pid. Both
 * are in the process group the harness stops and the reaper kills.
 *
 * The frontend's port is found by binding a server to port 0 and closing it
 * (haproxy does not tell which port it got for 0), so another process can
 * take it first; haproxy then exits with "Address already in use" and the
 * start is retried once on a new port.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../process/free-port.ts';
import { spawnChild, exitStatus, type RunningChild } from '../process/child-process.ts';
import { checkReplica, checkReplicaName, type BalancerDescription, type BalancerPolicy, type Replica } from './balancer-description.ts';
import { BACKEND_NAME, haproxyConfig, serverAddress } from './haproxy-config.ts';
import { findHaproxy, HAPROXY_INSTALL_HINT } from './haproxy-executable.ts';
import { runtimeCommand, RuntimeApiError } from './runtime-api.ts';
import { parseServersState, REPLICA_STATES, type ReplicaState, type ServerState } from './server-state.ts';

const READY = /Loading success\./;
const PORT_TAKEN = /cannot bind socket \(Address already in use\)/;

export interface HaproxyBalancerOptions extends Pick<BalancerDescription, 'replicas' | 'policy' | 'servedByHeader' | 'timeouts' | 'requestHeaders'> {
  /** The run's folder: haproxy.cfg, the runtime socket and haproxy's log go there. */
  runDir: string;
  /** Names the child, its log, config and socket files; default `haproxy`. */
  name?: string;
  /** Where the runtime socket goes, when runDir would make its path too long for a socket; default runDir. */
  socketDir?: string;
  command?: string;
  readyTimeoutMs?: number;
  /** How the frontend's port is chosen; default freePort. Tests pass a taken port to exercise the retry. */
  pickPort?: () => Promise<number>;
}

export class BalancerStartError extends Error {
  readonly code = 'balancer_start_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BalancerStartError';
  }
}

/** haproxy's own complaints (ALERT and WARNING lines), or its last lines when it gave none. */
function haproxySaid(child: RunningChild): string {
  const output = [...child.stdout.lines, ...child.stderr.lines];
  const complaints = output.filter((line) => /\[(ALERT|WARNING)\]/.test(line));
  return (complaints.length > 0 ? complaints : output.slice(-10)).map((line) => `  | ${line}`).join('\n');
}

export class HaproxyBalancer {
  private stopped = false;

  private constructor(
    /** The master process: the process group's leader. */
    readonly child: RunningChild,
    readonly port: number,
    readonly policy: BalancerPolicy,
    readonly configPath: string,
    readonly socketPath: string,
    /** The worker, which serves the traffic and the runtime API. */
    readonly workerPid: number,
    /** From spawning the master to the worker's answer on the runtime socket. */
    readonly readyMs: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid;
  }

  static async start(options: HaproxyBalancerOptions): Promise<HaproxyBalancer> {
    const executable = findHaproxy(options.command);
    if (!executable) throw new BalancerStartError(HAPROXY_INSTALL_HINT);
    const name = options.name ?? 'haproxy';
    const configPath = path.join(options.runDir, `${name}.cfg`);
    const socketPath = path.join(options.socketDir ?? options.runDir, `${name}.sock`);
    for (let attempt = 1; ; attempt += 1) {
      const port = await (options.pickPort ?? freePort)();
      const config = haproxyConfig({
        frontendPort: port,
        replicas: options.replicas,
        policy: options.policy,
        servedByHeader: options.servedByHeader,
        timeouts: options.timeouts,
        runtimeSocketPath: socketPath,
        ...(options.requestHeaders ? { requestHeaders: options.requestHeaders } : {}),
      });
      writeFileSync(configPath, config, { mode: 0o600 });
      await checkHaproxyConfig(executable, configPath, `${name}-check`, options.runDir);
      const spawnedAt = performance.now();
      const child = spawnChild({
        name: attempt === 1 ? name : `${name}-retry`,
        command: executable,
        args: ['-W', '-db', '-f', configPath],
        cwd: options.runDir,
        env: {},
        logDir: options.runDir,
      });
      try {
        await child.waitForLine('stderr', (line) => (READY.test(line) ? true : undefined), 'haproxy readiness ("Loading success.")', options.readyTimeoutMs ?? 10_000);
        const info = await runtimeCommand(socketPath, 'show info');
        const workerPid = Number(/^Pid: (\d+)$/m.exec(info)?.[1]);
        if (!Number.isInteger(workerPid) || workerPid <= 0) throw new Error(`"show info" on the runtime socket gave no Pid: ${JSON.stringify(info.slice(0, 200))}`);
        return new HaproxyBalancer(child, port, options.policy, configPath, socketPath, workerPid, performance.now() - spawnedAt);
      } catch (error) {
        if (child.isRunning) await stopHaproxy(child);
        if (attempt === 1 && [...child.stdout.lines, ...child.stderr.lines].some((line) => PORT_TAKEN.test(line))) continue;
        throw new BalancerStartError(
          `haproxy did not start on 127.0.0.1:${port} (attempt ${attempt}, log ${child.logPath}): ${(error as Error).message.split('\n')[0]}\n${haproxySaid(child)}`,
          { cause: error },
        );
      }
    }
  }

  /**
   * A replica that was not in the config, taking traffic when this returns.
   * haproxy adds a dynamic server in maintenance, so it is enabled after.
   * Under sticky-cookie it gets its cookie from the backend's dynamic
   * cookies (2.6 takes no `cookie` on `add server`): a hash, not its name.
   */
  async addReplica(replica: Replica): Promise<void> {
    checkReplica(replica);
    const server = `${BACKEND_NAME}/${replica.name}`;
    const added = await this.command(`add server ${server} ${serverAddress(replica)}`);
    if (!/New server registered/.test(added)) throw new RuntimeApiError(`haproxy refused to add ${server}: ${added.trim()}`, `add server ${server}`, added);
    if (this.policy === 'sticky-cookie') await this.silentCommand(`enable dynamic-cookie backend ${BACKEND_NAME}`);
    await this.silentCommand(`enable server ${server}`);
  }

  /** A replica that came back at another address (a restarted process on a new port, as a new pod gets a new IP). */
  async moveReplica(replica: Replica): Promise<void> {
    checkReplica(replica);
    if (replica.socket !== undefined) throw new RuntimeApiError(`replica ${replica.name}: a socket replica keeps its address`, 'set server addr');
    const command = `set server ${BACKEND_NAME}/${replica.name} addr ${replica.host} port ${replica.port}`;
    const answer = await this.command(command);
    if (!/changed from|no need to change/i.test(answer)) throw new RuntimeApiError(`haproxy refused "${command}": ${answer.trim()}`, command, answer);
  }

  /** ready: takes traffic; drain: only from clients pinned to it (a sticky cookie); maint: none at all. */
  async setReplicaState(name: string, state: ReplicaState): Promise<void> {
    checkReplicaName(name);
    if (!(REPLICA_STATES as readonly string[]).includes(state)) {
      throw new RuntimeApiError(`replica state must be one of ${REPLICA_STATES.join(', ')}, got ${JSON.stringify(state)}`, 'set server');
    }
    await this.silentCommand(`set server ${BACKEND_NAME}/${name} state ${state}`);
  }

  /** The replicas haproxy has now, in its order, with their state. */
  async servers(): Promise<ServerState[]> {
    return parseServersState(await this.command(`show servers state ${BACKEND_NAME}`));
  }

  /** Any runtime API command; its answer as haproxy wrote it. */
  command(command: string): Promise<string> {
    if (this.stopped || !this.child.isRunning) {
      return Promise.reject(new RuntimeApiError(`haproxy is not running (${this.stopped ? 'stopped' : 'exited'}): cannot run "${command}"`, command));
    }
    return runtimeCommand(this.socketPath, command);
  }

  /** A command whose success is an empty answer: anything else is haproxy's error, quoted. */
  private async silentCommand(command: string): Promise<void> {
    const answer = await this.command(command);
    if (answer.trim() !== '') throw new RuntimeApiError(`haproxy refused "${command}": ${answer.trim()}`, command, answer);
  }

  /** Safe twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopHaproxy(this.child);
  }
}

/**
 * `haproxy -c`: a config haproxy refuses is an error quoting haproxy's
 * words, before anything listens.
 */
export async function checkHaproxyConfig(executable: string, configPath: string, name: string, runDir: string): Promise<void> {
  const check = spawnChild({ name, command: executable, args: ['-c', '-f', configPath], cwd: runDir, env: {}, logDir: runDir });
  const exit = await check.exited;
  if (exit.code === 0) return;
  throw new BalancerStartError(`haproxy -c refused ${configPath} (${exitStatus(exit)}):\n${haproxySaid(check)}`);
}

/**
 * SIGTERM to the group straight away (haproxy does not read stdin, so
 * closing it, the spawning module's first step, would only wait), then the
 * usual escalation, then SIGKILL to the group for a worker left behind.
 * The master's own SIGTERM handler (pass it on to the worker, wait, exit)
 * is installed only some milliseconds after it prints "Loading success.":
 * a master stopped in that window dies of the signal at once, and its
 * worker, now init's, is still running when the master's exit is seen.
 * The worker stays in the master's process group, so the group reaches it.
 */
async function stopHaproxy(child: RunningChild): Promise<void> {
  if (child.isRunning) {
    child.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      child.exited.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 2000);
      }),
    ]);
    clearTimeout(timer);
    if (!exited) await child.stop({ graceMs: 500 });
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing of the group is left
  }
}
