/**
 * A store's flow cost over the baseline's, with its 95% interval: the
 * median of the paired ratios (flow by flow), the interval by bootstrap
 * over the pairs (resampled with replacement 2,000 times, the 2.5th and
 * 97.5th percentiles of their medians). The random draws come from a fixed
 * seed, so one result document always gives one interval. Pure.
 *
 * Why an interval: a verdict against a threshold must be able to say "too
 * close to call at this sample size" instead of flipping.
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

/**
 * Each flow of a store over the baseline's flow run just before it: the
 * flows are interleaved one per store in turn, so flow i of both ran on the
 * same machine state, and a slow stretch of the machine (another tenant, a
 * frequency change) moves both sides of the pair alike. Undefined when a
 * pair has a cost that is not positive.
 */
export function pairedRatios(subject: readonly number[], baseline: readonly number[]): number[] | undefined {
  const pairs = Math.min(subject.length, baseline.length);
  if (pairs === 0) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (!(subject[i]! > 0) || !(baseline[i]! > 0)) return undefined;
    ratios.push(subject[i]! / baseline[i]!);
  }
  return ratios;
}

/** The 95% interval of the median of paired ratios, by bootstrap over the pairs (fixed seed: one result document, one interval). */
export function medianInterval(ratios: readonly number[], seed = 7): RatioInterval {
  const random = seeded(seed);
  const medians = Array.from({ length: RESAMPLES }, () => resampledMedian(ratios, random));
  return { low: percentile(medians, 2.5)!, high: percentile(medians, 97.5)! };
}
