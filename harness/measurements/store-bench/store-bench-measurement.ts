/**
 * harness/measurements/store-bench/: store micro-benchmarks: C5 footprint and C7 per-operation latency.
 *
 * C5 (bytes per session) and C7 (per-operation latency, and whole flows
 * against a baseline whose flows succeed), run alone: its figures are
 * timings a busy CPU distorts.
 */
import path from 'node:path';
import { defineMeasurement } from '../measurement.ts';
import { benchStoreOpener } from './bench-store.ts';
import { FLOW_BASELINE, FULL_OVERHEAD_FLOWS, JUDGED_OVERHEAD_FLOWS, measureFlowOverhead, QUICK_OVERHEAD_FLOWS, type FlowOverheadResult } from './flow-overhead.ts';
import { claimC5, claimC7, lookupTargets, WRITE_UP_STORE, type LookupTarget } from './store-claims.ts';
import { FULL_FOOTPRINT_SETTINGS, measureStoreFootprint, QUICK_FOOTPRINT_SETTINGS, type StoreFootprintResult } from './store-footprint.ts';
import { FULL_LATENCY_SETTINGS, measureStoreLatency, QUICK_LATENCY_SETTINGS, type StoreLatencyResult } from './store-latency.ts';
import { storeLatencyCharts } from './store-latency-chart.ts';

export interface StoreBenchRaw {
  footprint: StoreFootprintResult;
  latency: StoreLatencyResult;
  flows: FlowOverheadResult;
}

declare module '../published-values.ts' {
  interface PublishedValues {
    /** Per-operation latency by live sessions, per store (the grading ranks on its take and get p50). */
    'store-latency': StoreLatencyResult;
    /** Bytes per session on disk and in memory, per store. */
    'store-footprint': StoreFootprintResult;
    /** Whole flows, sequential, per store: the flow p50 the grading compares with memory's. */
    'flow-overhead': FlowOverheadResult;
    /** The lookup targets (within 50 µs, flat from 10 to 100,000 live sessions), judged per store. */
    'lookup-targets': LookupTarget[];
  }
}

const sizes = (values: readonly number[]) => values.map((n) => n.toLocaleString('en-US')).join(', ');
const beyond = (full: readonly number[], quick: readonly number[]) => full.filter((n) => !quick.includes(n));

export const storeBenchMeasurement = defineMeasurement({
  id: 'store-bench',
  needs: ['store-module'],
  claimIds: ['C5', 'C7'],
  exclusive: true,
  evidence: {
    C5: {
      quick: `each store's folder on disk at ${sizes(QUICK_FOOTPRINT_SETTINGS.diskSizes)} sessions, and the memory store's heap at ${sizes([QUICK_FOOTPRINT_SETTINGS.heapSessions])}`,
      benchAdds: `the heap at ${sizes([FULL_FOOTPRINT_SETTINGS.heapSessions])} sessions${FULL_FOOTPRINT_SETTINGS.heapEmailPerSession ? ', each with its own email string' : ''}`,
    },
    C7: {
      quick:
        `put, get and take at ${sizes(QUICK_LATENCY_SETTINGS.sizes)} live sessions (≤ ${QUICK_LATENCY_SETTINGS.maxRepetitions} cycles or ${QUICK_LATENCY_SETTINGS.timeBudgetMsPerPoint} ms per point, each p50 with its 95% interval); ` +
        `${JUDGED_OVERHEAD_FLOWS} whole flows each for the write-up's store and the baseline, read as the server's CPU time per flow (the ratio with its 95% interval), ${QUICK_OVERHEAD_FLOWS} for the other stores`,
      benchAdds: `${sizes(beyond(FULL_LATENCY_SETTINGS.sizes, QUICK_LATENCY_SETTINGS.sizes))} live sessions (≤ ${FULL_LATENCY_SETTINGS.maxRepetitions.toLocaleString('en-US')} cycles or ${FULL_LATENCY_SETTINGS.timeBudgetMsPerPoint / 1000} s per point); ${FULL_OVERHEAD_FLOWS} flows for every store`,
    },
  },
  async run(ctx): Promise<StoreBenchRaw> {
    const opener = benchStoreOpener({ redisUrl: ctx.run.services.redisUrl });
    const outDir = path.join(ctx.run.dir, 'bench');
    const common = { stores: ctx.stores, quick: ctx.quick, opener, onProgress: ctx.onProgress, outDir };
    const footprint = await measureStoreFootprint(common);
    const latency = await measureStoreLatency(common);
    const flows = await measureFlowOverhead(ctx, undefined, { stores: [FLOW_BASELINE.store, WRITE_UP_STORE], flows: JUDGED_OVERHEAD_FLOWS });
    return { footprint, latency, flows };
  },
  check: (recorded: StoreBenchRaw) => ({
    claims: [claimC5(recorded.footprint), claimC7(recorded.latency, recorded.flows)],
    charts: storeLatencyCharts(recorded.latency),
    published: {
      'store-latency': recorded.latency,
      'store-footprint': recorded.footprint,
      'flow-overhead': recorded.flows,
      'lookup-targets': lookupTargets(recorded.latency),
    },
  }),
});
