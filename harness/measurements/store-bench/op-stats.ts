/** Latency samples (nanoseconds from process.hrtime.bigint) summarised in microseconds. */
import { percentile } from '../../core/checkers/percentile.ts';

export interface OpStats {
  samples: number;
  p50Us: number;
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
  return { samples: samplesNs.length, p50Us: us(50), p90Us: us(90), p99Us: us(99), minUs: round(min / 1000), maxUs: round(max / 1000) };
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
