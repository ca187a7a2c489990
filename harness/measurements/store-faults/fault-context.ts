/**
 * What every fault measurement of one store receives, and the result shape
 * they share: measured, not applicable (with the reason), or unknown (the
 * measurement itself broke: never a pass).
 */
import { accessSync, chmodSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { History } from '../../core/history.ts';
import { ProcessSlots, runDriver, type DriverRun, type DriverRunOptions } from './run-driver.ts';

export interface FaultContext {
  store: string;
  /** This store's folder for fault work: runDir/faults/<store>. */
  dir: string;
  logDir: string;
  slots: ProcessSlots;
  history: History;
  quick: boolean;
  /** uid used to play "someone else" (65534 through setpriv when the harness is root), or undefined. */
  otherUid: number | undefined;
  /** The run's redis-server, when it has one. */
  redisUrl?: string;
  /** --keep: fixtures that are only weight once judged (the 50 MB session file) stay in the run folder. */
  keep?: boolean;
}

/**
 * The uid that plays "someone else": 65534 (nobody) through setpriv when the
 * harness is root, since root ignores file permissions; undefined otherwise.
 */
export function otherUserUid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      accessSync(path.join(dir, 'setpriv'), constants.X_OK);
      return 65534;
    } catch {
      // Not in this PATH entry.
    }
  }
  return undefined;
}

export interface FaultContextOptions {
  store: string;
  runDir: string;
  quick: boolean;
  slots?: ProcessSlots;
  history?: History;
  redisUrl?: string;
  keep?: boolean;
}

export function createFaultContext(options: FaultContextOptions): FaultContext {
  const dir = path.join(options.runDir, 'faults', options.store);
  mkdirSync(dir, { recursive: true });
  return {
    store: options.store,
    dir,
    logDir: path.join(options.runDir, 'logs'),
    slots: options.slots ?? new ProcessSlots(2),
    history: options.history ?? new History(),
    quick: options.quick,
    otherUid: otherUserUid(),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.keep ? { keep: true } : {}),
  };
}

export type Measured<T> =
  | ({ status: 'measured' } & T)
  | { status: 'not-applicable'; reason: string }
  | { status: 'unknown'; reason: string };

export function notApplicable(reason: string): { status: 'not-applicable'; reason: string } {
  return { status: 'not-applicable', reason };
}

export function unknown(error: unknown): { status: 'unknown'; reason: string } {
  return { status: 'unknown', reason: error instanceof Error ? error.message : String(error) };
}

/** Runs a measurement; if it throws, the outcome is unknown with the error, never a pass. */
export async function guarded<T>(work: () => Promise<Measured<T>>): Promise<Measured<T>> {
  try {
    return await work();
  } catch (error) {
    return unknown(error);
  }
}

export function folderFor(ctx: FaultContext, ...parts: string[]): string {
  const dir = path.join(ctx.dir, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A message with this store's fault folder cut out of its paths: shorter, and the same from run to run. */
export function withoutRunPaths(ctx: FaultContext, text: string): string {
  return text.split(`${ctx.dir}/`).join('');
}

/**
 * A folder for a store's files: private (0700), because the careful stores
 * refuse any other (src/stores/private-path.ts) and the write-up's does
 * not care.
 */
export function storeFolderFor(ctx: FaultContext, ...parts: string[]): string {
  const dir = folderFor(ctx, ...parts);
  chmodSync(dir, 0o700);
  return dir;
}

/** Runs a driver for this store and records its operations (and any fault) in the run's history. */
export async function driveStore(
  ctx: FaultContext,
  name: string,
  options: Omit<DriverRunOptions, 'name' | 'logDir' | 'spec'> & {
    seed: string;
    ops: DriverRunOptions['spec']['ops'];
    killInsideWrite?: DriverRunOptions['spec']['killInsideWrite'];
    opTimeoutMs?: number;
  },
): Promise<DriverRun> {
  const fullName = `faults-${ctx.store}-${name}`;
  const injection = options.strace?.injection;
  if (injection) ctx.history.record({ type: 'info', f: `inject-${injection.kind}`, process: 'nemesis', value: { driver: fullName, store: ctx.store, ...injection } });
  if (options.killInsideWrite) ctx.history.record({ type: 'info', f: 'arm-kill-inside-write', process: 'nemesis', value: { driver: fullName, store: ctx.store, ...options.killInsideWrite } });
  const run = await runDriver(
    {
      ...options,
      name: fullName,
      logDir: ctx.logDir,
      spec: {
        store: ctx.store,
        seed: options.seed,
        ops: options.ops,
        ...(options.killInsideWrite ? { killInsideWrite: options.killInsideWrite } : {}),
        ...(options.opTimeoutMs ? { opTimeoutMs: options.opTimeoutMs } : {}),
        ...(ctx.redisUrl ? { redisUrl: ctx.redisUrl } : {}),
      },
    },
    ctx.slots,
  );
  const process = `driver#${run.driverPid ?? '?'}`;
  for (const event of run.events) {
    if (event.type === 'invoke' || event.type === 'ok' || event.type === 'fail') {
      ctx.history.record({
        type: event.type,
        f: event.f,
        process,
        value: { driver: fullName, op: event.op, ...(event.index === undefined ? {} : { index: event.index }), ...('value' in event && event.value !== undefined ? { result: event.value } : {}) },
        ...(event.type === 'fail' ? { error: event.error.message } : {}),
      });
    } else if (event.type === 'nemesis') {
      ctx.history.record({ type: 'info', f: event.f, process: 'nemesis', value: { driver: fullName, file: event.file, sizeAtKill: event.sizeAtKill } });
    }
  }
  if (!run.completed) {
    ctx.history.record({ type: 'info', f: 'process-ended', process, value: { driver: fullName, ...run.exit, timedOut: run.timedOut } });
  }
  return run;
}
