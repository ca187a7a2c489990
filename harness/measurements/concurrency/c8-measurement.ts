/**
 * harness/measurements/concurrency/: C8, success rate by flows at once, and throughput.
 *
 * C8 as a measurement of the run (see harness/measurements/measurement.ts):
 * success rate under concurrency (with its chart) and the forced races, judged by
 * claimC8; the races also give two "Reliability and security" rows.
 */
import type { Measurement } from '../measurement.ts';
import { measureRaces } from '../races/measure-races.ts';
import type { RaceResult } from '../races/race-outcome.ts';
import { raceRows } from '../races/race-rows.ts';
import { claimC8 } from './claim-c8.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { measureConcurrency } from './measure-concurrency.ts';
import { successRateChart } from './success-rate-chart.ts';

export interface C8Raw {
  concurrency: ConcurrencyResult;
  races: RaceResult;
}

export const c8Measurement: Measurement<C8Raw> = {
  id: 'c8-success-rate',
  claimIds: ['C8'],
  async run(ctx) {
    const concurrency = await measureConcurrency(ctx);
    const races = await measureRaces(ctx);
    return { concurrency, races };
  },
  claims: (raw) => [claimC8(raw.concurrency, raw.races)],
  reliability: (raw) => raceRows(raw.races),
  charts: (raw) => [successRateChart(raw.concurrency)],
};
