import { expect, test } from 'vitest';
import { medianIntervalNs, summarizeNs } from './op-stats.ts';

test("the median's interval brackets the median and narrows as the sample grows", () => {
  const draw = (n: number) => Array.from({ length: n }, (_, i) => 1000 + ((i * 7919) % n) * 10);
  const small = medianIntervalNs(draw(9));
  const large = medianIntervalNs(draw(900));
  const stats = summarizeNs(draw(900))!;
  expect(stats.p50IntervalUs!.low).toBeLessThanOrEqual(stats.p50Us);
  expect(stats.p50IntervalUs!.high).toBeGreaterThanOrEqual(stats.p50Us);
  // Relative to the spread of the values (0..n-1 steps of 10 ns), the interval of 900 samples is far narrower than that of 9.
  expect((large.high - large.low) / 9000).toBeLessThan((small.high - small.low) / 90 / 4);
});

test('one or two samples: the interval is the sample itself, never outside it', () => {
  expect(medianIntervalNs([5000])).toEqual({ low: 5000, high: 5000 });
  expect(medianIntervalNs([3000, 1000])).toEqual({ low: 1000, high: 3000 });
});
