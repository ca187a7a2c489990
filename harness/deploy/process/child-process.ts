/**
 * harness/deploy/process/: every child process: spawn, logs, readiness, escalating stop, the orphan reaper.
 *
 * The one module that spawns children. Every process of a run (the mock
 * Atlassian server, tool processes, callback processes, redis) starts here:
 * no shell, an allow-listed environment, its own process group, stdout and
 * stderr captured from the first byte into its own log file, and a shutdown
 * that escalates (close stdin, SIGTERM, SIGKILL) so that nothing outlives the
 * harness.
 */
import { execa, type ResultPromise } from 'execa';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CappedLog, logCapBytes } from './capped-log.ts';
import { formatCount } from './byte-size.ts';
import { floodNote, type StreamName } from './flood-note.ts';
import { LineSplitter, type StreamVolume } from './line-splitter.ts';
import { parseReadyAnnouncement, type ReadyAnnouncement } from './ready-announcement.ts';
import { registerWithReaper, unregisterFromReaper } from './reaper.ts';

/** Variables a child may inherit from the harness; everything else is explicit. */
const INHERITED_ENV = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'USER', 'LOGNAME', 'NODE_EXTRA_CA_CERTS'] as const;

export interface ChildSpec {
  /** Unique within a run: names the log file and the process in the history. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** Added on top of the allow-listed inherited variables. */
  env: Readonly<Record<string, string | undefined>>;
  logDir: string;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** How shutdown ended it: on its own, after stdin closed, SIGTERM or SIGKILL. */
  stoppedBy: 'self' | 'stdin' | 'SIGTERM' | 'SIGKILL';
}

/** "code 1", "signal SIGKILL": how an exit reads in a message. */
export function exitStatus(info: Pick<ExitInfo, 'code' | 'signal'>): string {
  if (info.signal === null) return `code ${info.code}`;
  return info.code === null ? `signal ${info.signal}` : `code ${info.code}, signal ${info.signal}`;
}

export interface StopOptions {
  /** Time allowed after closing stdin, then after SIGTERM. */
  graceMs?: number;
  /** SIGTERM at once, without closing stdin first: for a server that does not read its stdin (a deploy's stop signal). */
  signalFirst?: boolean;
}

const running = new Set<RunningChild>();

export class ChildStartError extends Error {
  readonly code = 'child_start_failed';
  constructor(
    message: string,
    readonly child: string,
    readonly logPath: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChildStartError';
  }
}

export class RunningChild {
  readonly pid: number;
  readonly stdout: LineSplitter;
  readonly stderr: LineSplitter;
  readonly logPath: string;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private escalation: ExitInfo['stoppedBy'] = 'self';
  private readonly log: CappedLog;
  private readonly startedAt = Date.now();

  constructor(
    readonly spec: ChildSpec,
    readonly subprocess: ResultPromise,
    logCap: number,
  ) {
    if (subprocess.pid === undefined) {
      throw new ChildStartError(`could not start ${spec.name}: ${spec.command} did not get a pid`, spec.name, '');
    }
    this.pid = subprocess.pid;
    mkdirSync(spec.logDir, { recursive: true });
    this.logPath = path.join(spec.logDir, `${spec.name}.log`);
    this.log = new CappedLog(createWriteStream(this.logPath, { flags: 'a' }), logCap);
    this.log.note(`${spec.name} pid=${this.pid} ${spec.command} ${spec.args.join(' ')}`);
    this.stdout = new LineSplitter(subprocess.stdout);
    this.stderr = new LineSplitter(subprocess.stderr);
    this.stdout.onLine((line) => this.writeLog('stdout', line));
    this.stderr.onLine((line) => this.writeLog('stderr', line));
    this.exited = subprocess.then(
      (result) => this.recordExit(result.exitCode ?? null, result.signal ?? null),
      (error: { exitCode?: number; signal?: string }) => this.recordExit(error.exitCode ?? null, error.signal ?? null),
    );
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** Waits for the readiness line; fails fast, with the log's tail, if the child exits first. */
  waitForReady(stream: StreamName, service: string, timeoutMs = 20_000): Promise<ReadyAnnouncement> {
    return this.waitForLine(stream, (line) => parseReadyAnnouncement(line, service), `"${service}" readiness`, timeoutMs);
  }

  /**
   * Waits for the first line (already seen or to come) that `match` maps to a
   * value: the readiness check of a process with its own way of saying so
   * (redis-server's "Ready to accept connections", say). A failure names the
   * stream it watched, quotes the last lines of both, and says so when the
   * line it waited for came on the other stream.
   */
  waitForLine<T>(stream: StreamName, match: (line: string) => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const lines = stream === 'stdout' ? this.stdout : this.stderr;
    for (const line of lines.lines) {
      const found = match(line);
      if (found !== undefined) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        stopListening();
      };
      const fail = (why: string) => {
        if (settled) return;
        settle();
        reject(this.startError(`${why}${this.onOtherStream(stream, match)}`));
      };
      const timer = setTimeout(() => fail(`did not announce ${what} on ${stream} within ${timeoutMs} ms`), timeoutMs);
      const stopListening = lines.onLine((line) => {
        const found = match(line);
        if (found !== undefined && !settled) {
          settle();
          resolve(found);
        }
      });
      void this.exited.then((info) => fail(`exited before announcing ${what} on ${stream} (${exitStatus(info)})`));
    });
  }

  /** "; a line on stderr matches instead: …" when the awaited line came on the stream not watched (a target file naming the wrong stream). */
  private onOtherStream<T>(watched: StreamName, match: (line: string) => T | undefined): string {
    const other: StreamName = watched === 'stdout' ? 'stderr' : 'stdout';
    const line = (other === 'stdout' ? this.stdout : this.stderr).lines.find((candidate) => match(candidate) !== undefined);
    return line === undefined ? '' : `; a line on ${other} matches instead (is the readiness stream ${other}?): ${JSON.stringify(cut(line, 200))}`;
  }

  /** Last lines of stderr, for error messages a user can act on (each cut short: one line may be megabytes). */
  tail(count = 15): string {
    return quoted(this.stderr.lines.slice(-count));
  }

  /** The last lines of both streams, each under its name: what a process said may be on either. */
  tails(count = 10): string {
    return (['stdout', 'stderr'] as const)
      .map((stream) => {
        const splitter = stream === 'stdout' ? this.stdout : this.stderr;
        const last = splitter.lines.slice(-count);
        if (last.length === 0) return `${stream}: nothing`;
        return `${stream} (last ${last.length} of ${formatCount(splitter.carried.lines)} line${splitter.carried.lines === 1 ? '' : 's'}):\n${quoted(last)}`;
      })
      .join('\n');
  }

  /** Settles once the log file is complete and closed, after the exit. */
  get logClosed(): Promise<void> {
    return this.log.closed;
  }

  /** What a stream carried so far, kept in memory or not. */
  printed(stream: StreamName): StreamVolume {
    return (stream === 'stdout' ? this.stdout : this.stderr).carried;
  }

  /**
   * A failure to start, as a user reads it: the process, what went wrong,
   * how much it printed when that was a lot (a flood is often why), and the
   * last lines of its stdout and its stderr.
   */
  startError(why: string): ChildStartError {
    const flood = floodNote(this);
    return new ChildStartError(`${this.spec.name} (pid ${this.pid}) ${why}${flood ? `; ${flood}` : ''}\n${this.tails()}`, this.spec.name, this.logPath);
  }

  signal(signal: NodeJS.Signals): boolean {
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      try {
        return this.subprocess.kill(signal);
      } catch {
        return false;
      }
    }
  }

  /** Close stdin, then SIGTERM, then SIGKILL, each after a grace period. */
  async stop(options: StopOptions = {}): Promise<ExitInfo> {
    const graceMs = options.graceMs ?? 2000;
    if (!this.isRunning) return this.exited;
    if (!options.signalFirst) {
      this.escalation = 'stdin';
      this.subprocess.stdin?.end();
      if (await this.exitsWithin(graceMs)) return this.exited;
    }
    this.escalation = 'SIGTERM';
    this.signal('SIGTERM');
    if (await this.exitsWithin(graceMs)) return this.exited;
    this.escalation = 'SIGKILL';
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Sudden death, as a crash or the OOM killer would do it. */
  async kill(): Promise<ExitInfo> {
    this.escalation = 'SIGKILL';
    this.signal('SIGKILL');
    return this.exited;
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const exited = this.exited.then(() => true as const);
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return result;
  }

  private writeLog(stream: StreamName, line: string): void {
    const elapsed = Date.now() - this.startedAt;
    this.log.line(`${String(elapsed).padStart(6)} ${stream} ${line}`, line, elapsed);
  }

  private recordExit(code: number | null, signal: string | null): ExitInfo {
    if (this.exitInfo) return this.exitInfo;
    this.exitInfo = { code, signal, stoppedBy: this.escalation };
    running.delete(this);
    unregisterFromReaper(this.pid);
    this.log.end(`exited code=${code} signal=${signal} stoppedBy=${this.escalation}`);
    return this.exitInfo;
  }
}

const QUOTED_LINE_CHARS = 500;

function cut(line: string, chars: number): string {
  return line.length > chars ? `${line.slice(0, chars)}… (${line.length} characters)` : line;
}

function quoted(lines: readonly string[]): string {
  return lines.map((line) => `  | ${cut(line, QUOTED_LINE_CHARS)}`).join('\n');
}

export function spawnChild(spec: ChildSpec): RunningChild {
  // Read before spawning: a bad setting must not leave a process behind.
  const logCap = logCapBytes();
  installExitHandlers();
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(spec.env)) {
    if (value !== undefined) env[name] = value;
  }
  const subprocess = execa(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env,
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    // Its own process group, so shutdown reaches grandchildren too.
    detached: true,
    cleanup: true,
  });
  let child: RunningChild;
  try {
    child = new RunningChild(spec, subprocess, logCap);
  } catch (error) {
    subprocess.catch(() => undefined);
    throw error;
  }
  running.add(child);
  registerWithReaper(child.pid);
  // A closed stdin pipe (the child exited) must not crash the harness.
  subprocess.stdin?.on('error', () => undefined);
  return child;
}

export function runningChildren(): RunningChild[] {
  return [...running];
}

export async function stopAllChildren(options: StopOptions = {}): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(options)));
}

let exitHandlersInstalled = false;

/**
 * On Ctrl-C or SIGTERM: stop every child, then exit with the conventional
 * code. On any exit: SIGKILL whatever is left (synchronously: 'exit'
 * handlers cannot wait). On a crash, the reaper covers what this cannot.
 */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    if (stopping) return;
    stopping = true;
    // Said only when there is something to stop: a test worker ended by its runner has none, and a line per worker would only be noise.
    if (running.size > 0) process.stderr.write(`\n${signal}: stopping ${running.size} child process(es)…\n`);
    void stopAllChildren({ graceMs: 500 }).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', () => {
    for (const child of running) child.signal('SIGKILL');
  });
}
