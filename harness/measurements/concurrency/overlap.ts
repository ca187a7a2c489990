/**
 * How much the flows of one level actually overlapped, read from the
 * level's history. Pure. "n flows at once" is the load's shape; what the
 * store sees is whether one flow's state was written while another's was
 * being read and rewritten, and that is what these figures measure.
 *
 * Definitions (times are the history's, ms from its start):
 * - an operation's interval runs from its `invoke` to its `ok` / `fail`
 *   (the n-th invoke of an (f, flow) pair ends at its n-th ok/fail); one
 *   that never ended runs to the history's last time;
 * - a flow's state window opens at the invoke of its start_oauth, when that
 *   start_oauth ended ok (a flow whose start failed stored no state), and
 *   closes at the end of its last callback, or at its last operation when
 *   no callback was delivered. Over the window its state is being written,
 *   held in the store, or looked up and removed. Windows are half-open:
 *   one closing at t and another opening at t do not overlap;
 * - windows in flight at time t: the windows open at t. `maxInFlight` is
 *   the largest count; `medianInFlight` is its median over time, from the
 *   first window's opening to the last one's closing: the smallest k such
 *   that at most k windows were in flight for at least half of that span;
 * - a callback ran during another flow's start when its interval and the
 *   interval of a start_oauth of a different flow overlap (half-open too).
 *   Each callback counts once however many starts it overlapped.
 */
import type { Operation } from '../../core/history.ts';

export interface Interval {
  from: number;
  to: number;
}

export interface OverlapFigures {
  /** State windows opened (flows whose start_oauth succeeded). */
  windows: number;
  maxInFlight: number;
  medianInFlight: number;
  /** Callbacks delivered (intervals of f = 'callback'). */
  callbacks: number;
  /** Callbacks whose interval overlapped a start_oauth of another flow. */
  callbacksDuringOtherStarts: number;
}

interface FlowOp {
  f: string;
  flow: number;
  interval: Interval;
  ok: boolean;
}

/** Every ended or dangling operation of a flow, as an interval. */
export function flowIntervals(ops: readonly Operation[]): FlowOp[] {
  const end = ops.reduce((latest, op) => Math.max(latest, op.time), 0);
  const open = new Map<string, Operation[]>();
  const done: FlowOp[] = [];
  for (const op of ops) {
    if (op.flow === undefined) continue;
    const key = `${op.f}\0${op.flow}`;
    if (op.type === 'invoke') {
      open.set(key, [...(open.get(key) ?? []), op]);
    } else if (op.type === 'ok' || op.type === 'fail') {
      const [first, ...rest] = open.get(key) ?? [];
      if (!first) continue;
      open.set(key, rest);
      done.push({ f: op.f, flow: op.flow, interval: { from: first.time, to: op.time }, ok: op.type === 'ok' });
    }
  }
  for (const pending of open.values()) {
    for (const op of pending) done.push({ f: op.f, flow: op.flow!, interval: { from: op.time, to: end }, ok: false });
  }
  return done.sort((a, b) => a.interval.from - b.interval.from || a.flow - b.flow);
}

/** Each flow's state window, by the definition above. */
export function stateWindows(ops: readonly Operation[]): Interval[] {
  const intervals = flowIntervals(ops);
  const lastOf = new Map<number, number>();
  for (const op of ops) if (op.flow !== undefined) lastOf.set(op.flow, Math.max(lastOf.get(op.flow) ?? 0, op.time));
  const windows: Interval[] = [];
  for (const start of intervals.filter((i) => i.f === 'start_oauth' && i.ok)) {
    const callbacks = intervals.filter((i) => i.f === 'callback' && i.flow === start.flow);
    const to = callbacks.length ? Math.max(...callbacks.map((c) => c.interval.to)) : lastOf.get(start.flow)!;
    windows.push({ from: start.interval.from, to: Math.max(to, start.interval.from) });
  }
  return windows;
}

/** The step function "intervals open at t" as (count, duration) pieces, from the first opening to the last closing. */
function inFlightPieces(intervals: readonly Interval[]): { count: number; ms: number }[] {
  // Events at one time are applied together (a piece is only cut between two different times), so a
  // window closing at t and another opening at t are never two in flight: half-open intervals.
  const events = intervals.flatMap((i) => [{ at: i.from, delta: 1 }, { at: i.to, delta: -1 }]).sort((a, b) => a.at - b.at);
  const pieces: { count: number; ms: number }[] = [];
  let count = 0;
  for (let i = 0; i < events.length; i++) {
    count += events[i]!.delta;
    const next = events[i + 1];
    if (next && next.at > events[i]!.at) pieces.push({ count, ms: next.at - events[i]!.at });
  }
  return pieces;
}

export function maxInFlight(intervals: readonly Interval[]): number {
  if (intervals.length === 0) return 0;
  const pieces = inFlightPieces(intervals);
  // Windows of zero length never show as a piece: each still counts as one in flight.
  return Math.max(1, ...pieces.map((p) => p.count));
}

export function medianInFlight(intervals: readonly Interval[]): number {
  const pieces = inFlightPieces(intervals).sort((a, b) => a.count - b.count);
  const total = pieces.reduce((sum, p) => sum + p.ms, 0);
  if (total === 0) return intervals.length === 0 ? 0 : 1;
  let covered = 0;
  for (const piece of pieces) {
    covered += piece.ms;
    if (covered >= total / 2) return piece.count;
  }
  return pieces[pieces.length - 1]!.count;
}

const overlaps = (a: Interval, b: Interval) => a.from < b.to && b.from < a.to;

export function measureOverlap(ops: readonly Operation[]): OverlapFigures {
  const intervals = flowIntervals(ops);
  const windows = stateWindows(ops);
  const starts = intervals.filter((i) => i.f === 'start_oauth');
  const callbacks = intervals.filter((i) => i.f === 'callback');
  return {
    windows: windows.length,
    maxInFlight: maxInFlight(windows),
    medianInFlight: medianInFlight(windows),
    callbacks: callbacks.length,
    callbacksDuringOtherStarts: callbacks.filter((c) => starts.some((s) => s.flow !== c.flow && overlaps(s.interval, c.interval))).length,
  };
}

/**
 * Callbacks that must have run during another flow's start for n at once
 * to count as interleaved: half of n. One or two such callbacks can happen
 * by accident of scheduling in a load that is otherwise all starts, then
 * all callbacks; n/2 of them means the interleaving was the load's normal
 * state, as it is with n workers running whole flows back to back.
 */
export const interleavedCallbacksNeeded = (concurrency: number) => (concurrency <= 1 ? 0 : Math.ceil(concurrency / 2));

/**
 * Did the level reach the overlap it is named for? n windows in flight at
 * once at some moment, and, above one at once, at least n/2 callbacks that
 * ran while another flow's start_oauth was in flight: without them, the
 * starts may all have finished before the first callback, and the store
 * never saw one process's write land among the other's read and rewrite.
 */
export function reachedNominal(concurrency: number, figures: OverlapFigures): boolean {
  return figures.maxInFlight >= concurrency && figures.callbacksDuringOtherStarts >= interleavedCallbacksNeeded(concurrency);
}
