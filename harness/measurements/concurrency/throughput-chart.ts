/**
 * Throughput's chart: each store's complete flows per second as a ratio to
 * the ceiling (memory, single-process, same flows at once), against flows
 * at once. One series per store; 1.0 is the ceiling, so the chart reads the
 * same on any machine.
 */
import type { ChartSpec, LineChartInput } from '../chart-spec.ts';
import type { StoreThroughput } from './throughput.ts';

export const THROUGHPUT_CHART_ID = 'throughput-ratio-vs-concurrency';

export function throughputChartInput(stores: readonly StoreThroughput[], quick: boolean): LineChartInput {
  const measured = stores.filter((s) => s.levels.some((l) => l.ratioToCeiling !== undefined));
  return {
    title: `Throughput against the ceiling, split-process${quick ? ' (quick run)' : ''}`,
    subtitle: 'complete flows per second of each store ÷ the same of memory in one process at the same flows at once (1.0 = the ceiling)',
    xLabel: 'flows in flight at once (log scale)',
    xNote: sampleSizes(measured),
    yLabel: 'flows/s as a share of the ceiling (×)',
    logX: true,
    series: measured.map((s) => ({
      name: s.store,
      points: s.levels.flatMap((l) => (l.ratioToCeiling === undefined ? [] : [{ x: l.concurrency, y: Math.round(l.ratioToCeiling * 100) / 100 }])),
    })),
  };
}

/** "n = 4 / 16 / 32 / 64 flows per point per store; the ceiling in bursts beside each store". */
function sampleSizes(stores: readonly StoreThroughput[]): string {
  const counts = (stores[0]?.levels ?? []).map((l) => l.flows);
  return `n = ${counts.join(' / ')} flows per point per store; the ceiling in bursts of a fifth of them, before and after each store`;
}

export function throughputChart(stores: readonly StoreThroughput[], quick: boolean): ChartSpec {
  return { id: THROUGHPUT_CHART_ID, input: throughputChartInput(stores, quick) };
}
