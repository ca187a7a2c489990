/**
 * C8's chart: success rate against flows in flight, one line per store and
 * measure (state lookups; whole flows, token handed to the tool process).
 */
import type { ChartSpec, LineChartInput } from '../chart-spec.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';

export const SUCCESS_RATE_CHART_ID = 'c8-success-vs-concurrency';

export function successRateChartInput(result: ConcurrencyResult): LineChartInput {
  const measured = result.stores.filter((s) => s.levels.length > 0);
  return {
    title: `C8: success rate by flows at once, split-process${result.quick ? ' (quick run)' : ''}`,
    xLabel: 'flows in flight at once',
    yLabel: 'success rate (%)',
    // Series: each store's state lookups (found / attempted) and whole flows (token reached the tool / started).
    logX: true,
    series: measured.flatMap((s) => [
      {
        name: `${s.store} lookups`,
        points: s.levels.flatMap((l) => (l.stateLookupRate === undefined ? [] : [{ x: l.concurrency, y: round(100 * l.stateLookupRate) }])),
      },
      { name: `${s.store} whole flows`, points: s.levels.map((l) => ({ x: l.concurrency, y: round(100 * l.flowRate) })) },
    ]),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

export function successRateChart(result: ConcurrencyResult): ChartSpec {
  return { id: SUCCESS_RATE_CHART_ID, input: successRateChartInput(result) };
}
