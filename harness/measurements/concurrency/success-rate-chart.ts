/**
 * C8's chart: success rate against flows in flight, one panel per store (in
 * one plot, the stores at 100 % hid each other), two measures per panel:
 * state lookups (found / looked up) and whole flows (token reached the tool
 * process / flows started). The x axis says how many flows stand behind each
 * point.
 */
import type { ChartSpec, LineChartInput } from '../chart-spec.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';

export const SUCCESS_RATE_CHART_ID = 'c8-success-vs-concurrency';

export function successRateChartInput(result: ConcurrencyResult): LineChartInput {
  const measured = result.stores.filter((s) => s.levels.length > 0);
  return {
    title: `C8: success rate by flows at once, split-process${result.quick ? ' (quick run)' : ''}`,
    // The overlap a point fell short of goes in the subtitle (a line of its own): the x note repeats under every panel, so a long one ran into its neighbours.
    subtitle: `one panel per store; state lookups: states found / looked up; whole flows: tokens that reached the tool process / flows started${shortOfOverlap(result)}`,
    xLabel: 'flows in flight at once (log scale)',
    xNote: sampleSizes(result),
    yLabel: 'success rate (%)',
    logX: true,
    yDomain: [0, 100],
    series: measured.flatMap((s) => [
      {
        name: 'state lookups',
        panel: s.store,
        points: s.levels.flatMap((l) => (l.stateLookupRate === undefined ? [] : [{ x: l.concurrency, y: round(100 * l.stateLookupRate) }])),
      },
      { name: 'whole flows', panel: s.store, points: s.levels.map((l) => ({ x: l.concurrency, y: round(100 * l.flowRate) })) },
    ]),
  };
}

/** "n = 5 / 12 / 32 / 96 flows per point", or per store when the stores ran different numbers. */
function sampleSizes(result: ConcurrencyResult): string {
  const measured = result.stores.filter((s) => s.levels.length > 0);
  const counts = measured.map((s) => s.levels.map((l) => l.flows).join(' / '));
  if (new Set(counts).size <= 1) return `n = ${counts[0] ?? 0} flows per point`;
  return `n = ${measured.map((s, i) => `${s.store} ${counts[i]}`).join(', ')} flows`;
}

/** "; short of its overlap: json-file at 64" for points that were not measured at the overlap they are plotted at. */
function shortOfOverlap(result: ConcurrencyResult): string {
  const short = result.stores.flatMap((s) => s.levels.filter((l) => l.overlap && !l.overlap.nominalReached).map((l) => `${s.store} at ${l.concurrency}`));
  return short.length ? `; short of their overlap (too few in flight, or not interleaved): ${short.join(', ')}` : '';
}

const round = (value: number) => Math.round(value * 10) / 10;

export function successRateChart(result: ConcurrencyResult): ChartSpec {
  return { id: SUCCESS_RATE_CHART_ID, input: successRateChartInput(result) };
}
