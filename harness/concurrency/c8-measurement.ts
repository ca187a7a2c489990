/**
 * C8 as a measurement of the run (see harness/measure/measurement.ts):
 * success rate under concurrency (with its chart, written into the run
 * folder's charts/ for the report to copy) and the forced races, judged by
 * claimC8; the races also give two "Reliability and security" rows.
 */
import path from 'node:path';
import type { ChartArtifact } from '../measure/measure-context.ts';
import type { Measurement } from '../measure/measurement.ts';
import { measureRaces } from '../races/measure-races.ts';
import type { RaceResult } from '../races/race-outcome.ts';
import { raceRows } from '../races/race-rows.ts';
import { claimC8 } from './claim-c8.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { measureConcurrency } from './measure-concurrency.ts';
import { renderLineChartSvg } from '../charts/line-chart.ts';
import { writeSuccessRateChart } from './success-rate-chart.ts';

export interface C8Raw {
  concurrency: ConcurrencyResult;
  races: RaceResult;
  chart?: ChartArtifact & { writtenTo: string };
  chartError?: string;
}

export const c8Measurement: Measurement<C8Raw> = {
  id: 'c8-success-rate',
  claimIds: ['C8'],
  async run(ctx) {
    const concurrency = await measureConcurrency(ctx);
    const races = await measureRaces(ctx);
    try {
      const chart = await writeSuccessRateChart(concurrency, path.join(ctx.run.dir, 'charts'), renderLineChartSvg, 'charts/');
      return { concurrency, races, chart };
    } catch (error) {
      return { concurrency, races, chartError: error instanceof Error ? error.message : String(error) };
    }
  },
  claims: (raw) => [claimC8(raw.concurrency, raw.races)],
  reliability: (raw) => raceRows(raw.races),
  charts: (raw) => (raw.chart ? [{ id: raw.chart.id, title: raw.chart.title, file: raw.chart.file }] : []),
};
