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
import { FLOW_BASELINE, JUDGED_OVERHEAD_FLOWS, measureFlowOverhead, type FlowOverheadResult } from './flow-overhead.ts';
import { claimC5, claimC7, lookupTargets, WRITE_UP_STORE, type LookupTarget } from './store-claims.ts';
import { measureStoreFootprint, type StoreFootprintResult } from './store-footprint.ts';
import { measureStoreLatency, type StoreLatencyResult } from './store-latency.ts';
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

export const storeBenchMeasurement = defineMeasurement({
  id: 'store-bench',
  needs: ['store-module'],
  claimIds: ['C5', 'C7'],
  exclusive: true,
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
