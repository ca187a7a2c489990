/** The overlap figures on hand-made histories: each definition of overlap.ts, one case at a time. */
import { describe, expect, test } from 'vitest';
import type { Operation } from '../../core/history.ts';
import { flowIntervals, maxInFlight, measureOverlap, medianInFlight, reachedNominal, stateWindows } from './overlap.ts';

/** [f, flow, from, to, ended] → an invoke and its ok (or fail), in time order. */
type Step = [f: string, flow: number, from: number, to: number | undefined, end?: 'ok' | 'fail'];

function history(...steps: Step[]): Operation[] {
  const ops = steps.flatMap(([f, flow, from, to, end = 'ok']) => [
    { type: 'invoke' as const, f, flow, time: from, process: 'p' },
    ...(to === undefined ? [] : [{ type: end, f, flow, time: to, process: 'p' }]),
  ]);
  return ops.sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
}

/** A whole flow: start [s, s+1], authorize [s+1, s+2], callback [c, c+1], whoami after. */
const flow = (id: number, s: number, c: number): Step[] => [
  ['start_oauth', id, s, s + 1],
  ['authorize', id, s + 1, s + 2],
  ['callback', id, c, c + 1],
  ['jira_whoami', id, c + 1, c + 2],
];

describe('state windows', () => {
  test('open at the invoke of a start_oauth that succeeded, close at the end of the flow\'s callback', () => {
    expect(stateWindows(history(...flow(1, 0, 5)))).toEqual([{ from: 0, to: 6 }]);
  });

  test('a start that failed opens no window; a flow with no callback closes at its last operation', () => {
    const ops = history(['start_oauth', 1, 0, 2, 'fail'], ['start_oauth', 2, 0, 1], ['authorize', 2, 1, 4, 'fail']);
    expect(stateWindows(ops)).toEqual([{ from: 0, to: 4 }]);
  });

  test('the n-th invoke of a pair ends at its n-th answer; one never answered runs to the end of the history', () => {
    const ops = history(['callback', 1, 0, 2], ['callback', 1, 1, 3], ['start_oauth', 2, 4, undefined], ['authorize', 3, 4, 9]);
    expect(flowIntervals(ops).map((i) => [i.f, i.flow, i.interval.from, i.interval.to])).toEqual([
      ['callback', 1, 0, 2],
      ['callback', 1, 1, 3],
      ['start_oauth', 2, 4, 9],
      ['authorize', 3, 4, 9],
    ]);
  });
});

describe('windows in flight', () => {
  test('half-open: one window closing as another opens is one in flight, not two', () => {
    expect(maxInFlight([{ from: 0, to: 5 }, { from: 5, to: 10 }])).toBe(1);
    expect(maxInFlight([{ from: 5, to: 10 }, { from: 0, to: 5 }])).toBe(1);
    expect(maxInFlight([{ from: 0, to: 5 }, { from: 4, to: 10 }])).toBe(2);
  });

  test('the median is over time: 2 in flight for 1 ms, 1 for 9 ms → 1; 3 for 6 ms of 10 → 3', () => {
    expect(medianInFlight([{ from: 0, to: 10 }, { from: 4, to: 5 }])).toBe(1);
    expect(medianInFlight([{ from: 0, to: 10 }, { from: 2, to: 8 }, { from: 2, to: 8 }])).toBe(3);
  });

  test('gaps between windows count as zero in flight', () => {
    expect(medianInFlight([{ from: 0, to: 1 }, { from: 9, to: 10 }])).toBe(0);
  });

  test('no windows: zero; one of no length: one', () => {
    expect([maxInFlight([]), medianInFlight([])]).toEqual([0, 0]);
    expect([maxInFlight([{ from: 3, to: 3 }]), medianInFlight([{ from: 3, to: 3 }])]).toEqual([1, 1]);
  });
});

describe('measureOverlap and the nominal overlap', () => {
  // Four flows at once, all started before the first callback: windows overlap, nothing interleaves.
  const burst = history(...flow(1, 0, 10), ...flow(2, 0, 11), ...flow(3, 0, 12), ...flow(4, 0, 13));
  // Four workers, two flows each, back to back: the second round's starts land among the first round's callbacks.
  const closedLoop = history(...flow(1, 0, 3), ...flow(2, 0, 5), ...flow(3, 0, 7), ...flow(4, 0, 9), ...flow(5, 5, 9), ...flow(6, 7, 11), ...flow(7, 9, 13), ...flow(8, 11, 14));

  test('a burst: 4 windows in flight, no callback during another start, so 4 at once is not reached', () => {
    const figures = measureOverlap(burst);
    expect(figures).toEqual({ windows: 4, maxInFlight: 4, medianInFlight: 4, callbacks: 4, callbacksDuringOtherStarts: 0 });
    expect(reachedNominal(4, figures)).toBe(false);
  });

  test('closed-loop workers: callbacks run during other flows\' starts, and 4 at once is reached', () => {
    const figures = measureOverlap(closedLoop);
    expect(figures).toMatchObject({ windows: 8, maxInFlight: 4, callbacks: 8 });
    // Callback of flow 2 [5,6] meets start 5 [5,6]; 3 [7,8] meets 6 [7,8]; 4 [9,10] meets 7 [9,10]; 5 [9,10] meets 7; 6 [11,12] meets 8 [11,12].
    expect(figures.callbacksDuringOtherStarts).toBe(5);
    expect(reachedNominal(4, figures)).toBe(true);
  });

  test('fewer windows in flight than the level names: not reached, however much interleaves', () => {
    expect(reachedNominal(16, measureOverlap(closedLoop))).toBe(false);
  });

  test('one at a time is reached by one window in flight, with nothing to interleave', () => {
    expect(reachedNominal(1, measureOverlap(history(...flow(1, 0, 3), ...flow(2, 5, 8))))).toBe(true);
  });

  test('a callback overlapping only its own flow\'s start does not count', () => {
    expect(measureOverlap(history(['start_oauth', 1, 0, 5], ['callback', 1, 1, 2])).callbacksDuringOtherStarts).toBe(0);
  });
});
