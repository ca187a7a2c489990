/**
 * harness/measurements/store-bench/: store micro-benchmarks: C5 footprint and C7 per-operation latency.
 *
 * C5 (bytes per session) and C7 (per-operation latency) from the store
 * micro-benchmarks, run alone: its figures are timings a busy CPU distorts.
 */
import path from 'node:path';
import type { CellResult } from '../../core/cell-result.ts';
import type { Measurement } from '../measurement.ts';
import { benchStoreOpener } from './bench-store.ts';
import { claimC5, claimC7 } from './store-claims.ts';
import { measureStoreFootprint, type StoreFootprintResult } from './store-footprint.ts';
import { measureStoreLatency, type StoreLatencyResult } from './store-latency.ts';
import { storeLatencyCharts } from './store-latency-chart.ts';

/** The flow p50 of each store in the write-up's topology, for C7's whole-flow ratio. */
export function splitProcessFlowP50(cells: readonly CellResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const cell of cells) {
    if (cell.scenario === 'split-process' && cell.latencyMs.p50 !== undefined) out[cell.store] = cell.latencyMs.p50;
  }
  return out;
}

export interface StoreBenchRaw {
  footprint: StoreFootprintResult;
  latency: StoreLatencyResult;
}

export const storeBenchMeasurement: Measurement<StoreBenchRaw> = {
  id: 'store-bench',
  claimIds: ['C5', 'C7'],
  exclusive: true,
  async run(ctx) {
    const opener = benchStoreOpener({ redisUrl: ctx.run.services.redisUrl });
    const outDir = path.join(ctx.run.dir, 'bench');
    const common = { stores: ctx.stores, quick: ctx.quick, opener, onProgress: ctx.onProgress, outDir };
    const footprint = await measureStoreFootprint(common);
    const latency = await measureStoreLatency(common);
    return { footprint, latency };
  },
  claims: (raw, cells) => [claimC5(raw.footprint), claimC7(raw.latency, splitProcessFlowP50(cells))],
  charts: (raw) => storeLatencyCharts(raw.latency),
};
