/** Latency samples (nanoseconds from process.hrtime.bigint) summarised in microseconds. */
import { percentile } from '../../core/checkers/percentile.ts';

export interface OpStats {
  samples: number;
  p50Us: number;
  /** The median's 95% interval (distribution-free, from order statistics); absent in results written before it was kept. */
  p50IntervalUs?: { low: number; high: number };
  p90Us: number;
  p99Us: number;
  minUs: number;
  maxUs: number;
}

export function summarizeNs(samplesNs: readonly number[]): OpStats | undefined {
  if (samplesNs.length === 0) return undefined;
  const us = (p: number) => round((percentile(samplesNs, p) ?? NaN) / 1000);
  let min = Infinity;
  let max = -Infinity;
  for (const v of samplesNs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const interval = medianIntervalNs(samplesNs);
  return {
    samples: samplesNs.length,
    p50Us: us(50),
    p50IntervalUs: { low: round(interval.low / 1000), high: round(interval.high / 1000) },
    p90Us: us(90),
    p99Us: us(99),
    minUs: round(min / 1000),
    maxUs: round(max / 1000),
  };
}

/**
 * A 95% interval for the median with no assumption about the distribution:
 * the order statistics at ranks n/2 ∓ 0.98·√n (the binomial's normal
 * approximation), clamped to the sample. Fewer cycles give a wider
 * interval, which is what a quick run must show beside its p50.
 */
export function medianIntervalNs(samplesNs: readonly number[]): { low: number; high: number } {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lowRank = Math.max(1, Math.floor(n / 2 - half));
  const highRank = Math.min(n, Math.ceil(n / 2 + half + 1));
  return { low: sorted[lowRank - 1]!, high: sorted[highRank - 1]! };
}

/** Three significant figures: more would be noise on a shared 2-core machine. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

/** Median cost of reading the clock twice: the floor under every figure here. */
export function timerFloorNs(reps = 10_000): number {
  const samples: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    samples.push(Number(t1 - t0));
  }
  return percentile(samples, 50) ?? 0;
}
