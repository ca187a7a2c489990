/**
 * harness/measurements/store-bench/: store micro-benchmarks: C5 footprint and C7 per-operation latency.
 *
 * C5 (bytes per session) and C7 (per-operation latency, and whole flows
 * against a baseline whose flows succeed), run alone: its figures are
 * timings a busy CPU distorts.
 */
import path from 'node:path';
import { NEEDS_STORE_MODULE, type Measurement } from '../measurement.ts';
import { benchStoreOpener } from './bench-store.ts';
import { FLOW_BASELINE, JUDGED_OVERHEAD_FLOWS, measureFlowOverhead, type FlowOverheadResult } from './flow-overhead.ts';
import { claimC5, claimC7, WRITE_UP_STORE } from './store-claims.ts';
import { measureStoreFootprint, type StoreFootprintResult } from './store-footprint.ts';
import { measureStoreLatency, type StoreLatencyResult } from './store-latency.ts';
import { storeLatencyCharts } from './store-latency-chart.ts';

export interface StoreBenchRaw {
  footprint: StoreFootprintResult;
  latency: StoreLatencyResult;
  flows: FlowOverheadResult;
}

export const storeBenchMeasurement: Measurement<StoreBenchRaw> = {
  id: 'store-bench',
  claimIds: ['C5', 'C7'],
  exclusive: true,
  notApplicable: NEEDS_STORE_MODULE,
  async run(ctx) {
    const opener = benchStoreOpener({ redisUrl: ctx.run.services.redisUrl });
    const outDir = path.join(ctx.run.dir, 'bench');
    const common = { stores: ctx.stores, quick: ctx.quick, opener, onProgress: ctx.onProgress, outDir };
    const footprint = await measureStoreFootprint(common);
    const latency = await measureStoreLatency(common);
    const flows = await measureFlowOverhead(ctx, undefined, { stores: [FLOW_BASELINE.store, WRITE_UP_STORE], flows: JUDGED_OVERHEAD_FLOWS });
    return { footprint, latency, flows };
  },
  claims: (raw) => [claimC5(raw.footprint), claimC7(raw.latency, raw.flows)],
  charts: (raw) => storeLatencyCharts(raw.latency),
};
