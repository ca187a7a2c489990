/**
 * A 95% interval for the ratio of two medians (a store's flow latency over
 * the baseline's), by bootstrap: both samples resampled with replacement,
 * the ratio of the resampled medians taken 2,000 times, the 2.5th and 97.5th
 * percentiles kept. The random draws come from a fixed seed, so one result
 * document always gives one interval. Pure.
 *
 * Why: with 40 flows per store, the ratio of medians moves by several
 * percent from run to run; a verdict against a threshold must be able to
 * say "too close to call at this sample size" instead of flipping.
 */
import { percentile } from '../../core/checkers/percentile.ts';

export interface RatioInterval {
  low: number;
  high: number;
}

const RESAMPLES = 2_000;

/** mulberry32: a small seeded generator, enough for resampling indices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function resampledMedian(values: readonly number[], random: () => number): number {
  const drawn = Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)]!);
  return percentile(drawn, 50)!;
}

/** undefined when either sample is empty or the baseline's median could be 0. */
export function medianRatioInterval(subject: readonly number[], baseline: readonly number[], seed = 7): RatioInterval | undefined {
  if (subject.length === 0 || baseline.length === 0 || baseline.some((v) => !(v > 0))) return undefined;
  const random = seeded(seed);
  const ratios = Array.from({ length: RESAMPLES }, () => resampledMedian(subject, random) / resampledMedian(baseline, random));
  return { low: percentile(ratios, 2.5)!, high: percentile(ratios, 97.5)! };
}
