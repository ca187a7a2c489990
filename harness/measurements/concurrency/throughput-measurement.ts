/** Complete flows per second at 1, 4, 16, 64 at once, as a ratio to the ceiling measured in the same run; with its chart. */
import type { Measurement } from '../measurement.ts';
import { measureThroughput, type StoreThroughput } from './throughput.ts';
import { throughputChart } from './throughput-chart.ts';

export const throughputMeasurement: Measurement<StoreThroughput[]> = {
  id: 'throughput',
  run: (ctx) => measureThroughput(ctx),
  charts: (raw) => (raw.some((s) => s.levels.length > 0) ? [throughputChart(raw, raw[0]?.quick ?? true)] : []),
};
