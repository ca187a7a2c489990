/** Complete flows per second, 64 at once, in repeated bursts: median and spread. */
import type { Measurement } from '../measurement.ts';
import { measureThroughput, type StoreThroughput } from './throughput.ts';

export const throughputMeasurement: Measurement<StoreThroughput[]> = {
  id: 'throughput',
  run: (ctx) => measureThroughput(ctx),
};
