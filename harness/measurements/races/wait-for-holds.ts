/**
 * Waits until each of several processes has either stopped at the gate or
 * finished its request. A store that serialises writers (a lock) lets only
 * the first stop; the others wait behind it, neither held nor done. After
 * the first hold, they are given `whileHeldDeadlineMs` to reach the gate
 * too, then counted as blocked, so a correct store is recorded as such
 * instead of being waited on until the overall deadline. With `counts`,
 * only a pause it accepts is a hold; any other is let go at once, handed to
 * `passed`, and the party waited on further (session-writes.ts).
 */
import type { RaceTimings } from './timing.ts';
import type { Pause, WriteGate } from './write-gate.ts';

export interface Party {
  pid: number;
  settled: () => boolean;
}

export interface HoldsObserved {
  /** Per party, in order: its held write, if it reached the gate. */
  paused: (Pause | undefined)[];
  /** Per party: neither held nor done once another had been held for whileHeldDeadlineMs. */
  blocked: boolean[];
  /** Nothing was held and some party had not finished by pauseDeadlineMs. */
  timedOut: boolean;
}

const POLL_MS = 3;

export interface HoldFilter {
  counts: (pause: Pause) => boolean;
  passed: (pause: Pause) => void;
}

function firstCounted(gate: WriteGate, pid: number, filter: HoldFilter | undefined): Pause | undefined {
  for (const pause of gate.held(pid)) {
    if (!filter || filter.counts(pause)) return pause;
    filter.passed(pause);
    gate.release(pause);
  }
  return undefined;
}

export async function waitForHolds(gate: WriteGate, parties: readonly Party[], timings: RaceTimings, filter?: HoldFilter): Promise<HoldsObserved> {
  const begun = performance.now();
  let firstHoldAt: number | undefined;
  for (;;) {
    const paused = parties.map((party) => firstCounted(gate, party.pid, filter));
    const waiting = parties.map((party, i) => paused[i] === undefined && !party.settled());
    if (!waiting.some(Boolean)) return { paused, blocked: parties.map(() => false), timedOut: false };
    const now = performance.now();
    if (paused.some(Boolean)) {
      firstHoldAt ??= now;
      if (now - firstHoldAt > timings.whileHeldDeadlineMs) return { paused, blocked: waiting, timedOut: false };
    } else if (now - begun > timings.pauseDeadlineMs) {
      return { paused, blocked: parties.map(() => false), timedOut: true };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
