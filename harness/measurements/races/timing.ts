/** Small promise tools the races use to wait on conditions with deadlines instead of sleeping. */
import { paceTimeout, type RunPace } from '../../core/pace.ts';

/** Tracks a promise's settlement synchronously, for polls that must stop when it is over. */
export function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  const settledPromise = promise.finally(() => {
    done = true;
  });
  return { promise: settledPromise, settled: () => done };
}

/** The promise's value if it settles within ms, otherwise undefined (the promise keeps running). */
export async function withinMs<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RaceTimings {
  /** How long a step may take to reach the gate before the harness gives up on it. */
  pauseDeadlineMs: number;
  /** How long the other process's write may take while one is held (a lock would make it wait). */
  whileHeldDeadlineMs: number;
}

export const DEFAULT_RACE_TIMINGS: RaceTimings = { pauseDeadlineMs: 10_000, whileHeldDeadlineMs: 3_000 };

/** The deadlines on this run's machine: the quiet ones, or 10 × the table's flow p95 when the run is slower (a write that waits because the CPU is busy is not a lock). */
export function raceTimingsFor(pace: RunPace | undefined): RaceTimings {
  return { pauseDeadlineMs: paceTimeout(DEFAULT_RACE_TIMINGS.pauseDeadlineMs, pace), whileHeldDeadlineMs: paceTimeout(DEFAULT_RACE_TIMINGS.whileHeldDeadlineMs, pace) };
}
