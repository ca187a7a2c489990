/**
 * harness/measurements/concurrency/: C8, success rate by flows at once, and throughput.
 *
 * One measurement for both, because they are the same flows: every store's
 * split-process deployment at 1, 4, 16 and 64 flows at once, read as
 * success rates (C8, with its chart) and as flows/s against the ceiling
 * (the throughput chart, and the grading's throughput column). Then the
 * forced races, judged with the rates by claimC8; the races also give two
 * "Reliability and security" rows.
 */
import type { Measurement } from '../measurement.ts';
import { measureRaces } from '../races/measure-races.ts';
import type { RaceResult } from '../races/race-outcome.ts';
import { raceRows } from '../races/race-rows.ts';
import { claimC8 } from './claim-c8.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { successRateChart } from './success-rate-chart.ts';
import { measureLoad, type StoreThroughput } from './throughput.ts';
import { throughputChart } from './throughput-chart.ts';

export interface C8Raw {
  concurrency: ConcurrencyResult;
  throughput: StoreThroughput[];
  races: RaceResult;
}

export const c8Measurement: Measurement<C8Raw> = {
  id: 'c8-success-rate',
  claimIds: ['C8'],
  async run(ctx) {
    const { concurrency, throughput } = await measureLoad(ctx);
    const races = await measureRaces(ctx);
    return { concurrency, throughput, races };
  },
  claims: (raw) => [claimC8(raw.concurrency, raw.races)],
  reliability: (raw) => raceRows(raw.races),
  charts: (raw) => [successRateChart(raw.concurrency), ...(raw.throughput.some((s) => s.levels.length > 0) ? [throughputChart(raw.throughput, raw.throughput[0]?.quick ?? true)] : [])],
};
