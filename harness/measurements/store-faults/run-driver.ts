/**
 * Starts one store driver process (through spawnChild, optionally wrapped
 * by strace or run as another user through setpriv), waits for it to end,
 * and hands back what it said: its events, its stderr, how it exited, and
 * strace's log. A bounded number run at once: the machines are small and
 * shared, and a kill point only means something if the process reached it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntryPoints, type CompileRequest } from '../../deploy/target/compiled-entry-points.ts';
import { FROM_PACKAGE, prebuiltEntry } from '../../core/package-layout.ts';
import { spawnChild, type ExitInfo, type RunningChild } from '../../deploy/process/child-process.ts';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import type { DriverEvent, DriverSpec } from './driver-protocol.ts';
import { readStraceLog, STRACE_PATH, straceArgs, type Injection, type StraceLog, type StraceMode } from './strace-injection.ts';


/** The driver compiled once to JavaScript: it starts hundreds of times a run, and under strace every start-up instruction is slower. */
let compiledDriver: string | undefined;
/** How the driver is compiled: at a checkout's first use, or once at pack time for the installed package. */
export const STORE_DRIVER_BUILD: CompileRequest = { name: 'store-driver', sourceDirs: ['src', 'harness/measurements/store-faults', 'fixtures/corrupt-session-files'], entries: ['harness/measurements/store-faults/store-driver.ts'] };
function compiledStoreDriver(): string {
  if (compiledDriver) return compiledDriver;
  const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
  compiledDriver = FROM_PACKAGE ? prebuiltEntry(STORE_DRIVER_BUILD.name, 'store-driver') : path.join(compiledEntryPoints(projectRoot, STORE_DRIVER_BUILD), 'store-driver.js');
  return compiledDriver;
}

export interface DriverRunOptions {
  /** Unique within the run: names the log file. */
  name: string;
  spec: DriverSpec;
  /** Where spec.json and the strace log are written. */
  workDir: string;
  logDir: string;
  env?: Record<string, string>;
  strace?: { mode: StraceMode; paths?: readonly string[]; injection?: Injection };
  /**
   * Runs the driver as root without the capabilities that override file
   * permissions (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so a
   * read-only folder is read-only to it, while it can still read the project
   * wherever it was cloned.
   */
  withoutPermissionOverride?: boolean;
  timeoutMs?: number;
  /** Start before the runs already waiting for a slot. */
  urgent?: boolean;
}

export interface DriverRun {
  name: string;
  spec: DriverSpec;
  /** The driver's own pid (the spawned process may be strace or setpriv). */
  driverPid: number | undefined;
  events: DriverEvent[];
  /** stdout lines that were not events. */
  strayStdout: string[];
  stderr: string[];
  exit: ExitInfo;
  timedOut: boolean;
  /** It printed `done`: every operation ran. */
  completed: boolean;
  durationMs: number;
  logPath: string;
  strace?: StraceLog;
}

/** At most `size` driver processes at once. */
export class ProcessSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** urgent: ahead of the queue (a long run, or one others wait for, should not start last). */
  async run<T>(work: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => (urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

const unlimited = new ProcessSlots(Number.MAX_SAFE_INTEGER);

function parseEvents(lines: readonly string[]): { events: DriverEvent[]; stray: string[] } {
  const events: DriverEvent[] = [];
  const stray: string[] = [];
  for (const line of lines) {
    try {
      const parsed = JSON.parse(line) as DriverEvent;
      if (parsed && typeof parsed === 'object' && typeof parsed.type === 'string') events.push(parsed);
      else stray.push(line);
    } catch {
      if (line.trim()) stray.push(line);
    }
  }
  return { events, stray };
}

export function runDriver(options: DriverRunOptions, slots: ProcessSlots = unlimited): Promise<DriverRun> {
  return slots.run(() => runDriverNow(options), options.urgent);
}

async function runDriverNow(options: DriverRunOptions): Promise<DriverRun> {
  mkdirSync(options.workDir, { recursive: true });
  const attach = options.strace?.mode === 'attach';
  const spec: DriverSpec = attach ? { ...options.spec, waitForTracer: true } : options.spec;
  const specFile = path.join(options.workDir, `${options.name}.spec.json`);
  writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`, { mode: 0o644 });
  const nodeArgs = [process.execPath, compiledStoreDriver(), specFile];
  let command = nodeArgs[0]!;
  let args = nodeArgs.slice(1);
  const straceLogFile = path.join(options.workDir, `${options.name}.strace`);
  const straceOptions = options.strace ? { logFile: straceLogFile, paths: options.strace.paths, injection: options.strace.injection } : undefined;
  if (straceOptions && !attach) {
    command = STRACE_PATH;
    args = [...straceArgs(straceOptions), ...nodeArgs];
  } else if (options.withoutPermissionOverride) {
    command = 'setpriv';
    args = ['--bounding-set=-dac_override,-dac_read_search', '--', ...nodeArgs];
  }
  const started = performance.now();
  const child = spawnChild({
    name: options.name,
    command,
    args,
    cwd: PROJECT_ROOT,
    // One libuv pool thread: strace counts writes per thread, so a store
    // writing from the pool must write from one thread to be counted in order.
    env: { UV_THREADPOOL_SIZE: '1', ...options.env },
    logDir: options.logDir,
  });
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop({ graceMs: 500 });
  }, timeoutMs);
  let tracer: RunningChild | undefined;
  if (straceOptions && attach) {
    try {
      await child.waitForLine('stdout', (line) => (line.includes('"waiting-for-tracer"') ? true : undefined), 'waiting for its tracer', timeoutMs);
      tracer = spawnChild({ name: `${options.name}-strace`, command: STRACE_PATH, args: straceArgs({ ...straceOptions, attachPid: child.pid }), env: {}, logDir: options.logDir });
    } catch {
      // The driver ended before asking for a tracer: its exit says why.
    }
  }
  const exit = await child.exited;
  clearTimeout(timer);
  if (tracer) {
    // strace -p ends once its tracee is gone; it must not outlive it by much.
    const tracerExit = await Promise.race([tracer.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000).unref())]);
    if (!tracerExit) await tracer.stop({ graceMs: 500 });
  }
  // The last lines may still be in the pipe when the exit is seen.
  await Promise.race([
    Promise.all([new Promise<void>((resolve) => child.stdout.onEnd(resolve)), new Promise<void>((resolve) => child.stderr.onEnd(resolve))]),
    new Promise<void>((resolve) => setTimeout(resolve, 2000).unref()),
  ]);
  const { events, stray } = parseEvents(child.stdout.lines);
  const start = events.find((event) => event.type === 'start');
  return {
    name: options.name,
    spec,
    driverPid: start?.type === 'start' ? start.pid : undefined,
    events,
    strayStdout: stray,
    stderr: [...child.stderr.lines, ...(tracer ? tracer.stderr.lines.map((line) => `strace: ${line}`) : [])],
    exit,
    timedOut,
    completed: events.some((event) => event.type === 'done'),
    durationMs: Math.round(performance.now() - started),
    logPath: child.logPath,
    strace: straceOptions ? readStraceLog(straceLogFile) : undefined,
  };
}

/** The ok/fail event of operation `op`, if the driver got that far. */
export function outcomeOf(run: DriverRun, op: number): Extract<DriverEvent, { type: 'ok' | 'fail' }> | undefined {
  return run.events.find((event): event is Extract<DriverEvent, { type: 'ok' | 'fail' }> => (event.type === 'ok' || event.type === 'fail') && event.op === op);
}

/** stderr lines at warn or error level, or that name an errno: what the process said was wrong. */
export function complaints(run: DriverRun): string[] {
  return run.stderr.filter((line) => /\b(WARN|ERROR)\b|\bE[A-Z]{3,}\b|Error:/.test(line));
}
