/** Small promise tools the races use to wait on conditions with deadlines instead of sleeping. */

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
