/**
 * Every measurement a run makes after the scenario table, in report order.
 * Adding a measurement is adding it here. Each writes its charts into
 * `<run>/charts/`; chart files are named `charts/<name>.svg`.
 */
import path from 'node:path';
import { benchStoreOpener } from '../bench/bench-store.ts';
import { claimC5, claimC7 } from '../bench/store-claims.ts';
import { measureStoreFootprint, type StoreFootprintResult } from '../bench/store-footprint.ts';
import { measureStoreLatency, type StoreLatencyResult } from '../bench/store-latency.ts';
import { claimC9 } from '../claims/claim-c9.ts';
import { measureFileExposure, type StoreExposure } from '../claims/file-exposure.ts';
import { topologyClaims } from '../claims/topology-claims.ts';
import { ttlMeasurement } from '../clock/ttl-measurement.ts';
import { c8Measurement } from '../concurrency/c8-measurement.ts';
import { faultRows } from '../faults/fault-rows.ts';
import { measureStoreFaults, type StoreFaultsResult } from '../faults/measure-store-faults.ts';
import type { CellResult } from '../results/results-document.ts';
import { measureReliability, reliabilityRows, type ReliabilityMeasurements } from '../security/measure-reliability.ts';
import { measureDefaultStore } from '../grading/src-default-store.ts';
import { measureThroughput, type StoreThroughput } from '../concurrency/throughput.ts';
import type { Measurement } from './measurement.ts';

export const CHARTS_SUBDIR = 'charts';

const topology: Measurement<null> = {
  id: 'topology-claims',
  claimIds: ['C1', 'C2', 'C3', 'C4'],
  run: async () => null,
  claims: (_raw, cells) => topologyClaims(cells),
};

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

const storeBench: Measurement<StoreBenchRaw> = {
  id: 'store-bench',
  claimIds: ['C5', 'C7'],
  exclusive: true,
  async run(ctx) {
    const opener = benchStoreOpener({ redisUrl: ctx.run.services.redisUrl });
    const outDir = path.join(ctx.run.dir, 'bench');
    const common = { stores: ctx.stores, quick: ctx.quick, opener, onProgress: ctx.onProgress };
    const footprint = await measureStoreFootprint({ ...common, outDir });
    const latency = await measureStoreLatency({ ...common, outDir: path.join(ctx.run.dir, CHARTS_SUBDIR), chartFilePrefix: `${CHARTS_SUBDIR}/` });
    return { footprint, latency };
  },
  claims: (raw, cells) => [claimC5(raw.footprint), claimC7(raw.latency, splitProcessFlowP50(cells))],
  charts: (raw) => (raw.latency.charts ?? []).map(({ id, title, file }) => ({ id, title, file })),
};

const fileExposure: Measurement<StoreExposure[]> = {
  id: 'file-exposure',
  claimIds: ['C9'],
  run: (ctx) => measureFileExposure(ctx),
  claims: (raw, cells) => [claimC9(cells, raw)],
};

const storeFaults: Measurement<StoreFaultsResult> = {
  id: 'store-faults',
  run: (ctx) => measureStoreFaults({ stores: ctx.stores, quick: ctx.quick, runDir: ctx.run.dir, onProgress: ctx.onProgress }),
  reliability: (raw) => faultRows(raw),
};

const reliability: Measurement<ReliabilityMeasurements> = {
  id: 'hostile-provider-security',
  ownMock: true,
  run: (ctx) => measureReliability(ctx),
  reliability: (raw) => reliabilityRows(raw),
};

/** Complete flows per second, 64 at once, in repeated bursts: median and spread. */
const throughput: Measurement<StoreThroughput[]> = {
  id: 'throughput',
  run: (ctx) => measureThroughput(ctx),
};

/** Which store the target uses unconfigured: "Which fix to ship" checks it against the recommendation. */
const defaultStore: Measurement<{ store: string }> = {
  id: 'src-default-store',
  run: (ctx) => measureDefaultStore(ctx),
};

export const MEASUREMENTS: readonly Measurement<never>[] = [
  // The longest first, so that two at a time finish close together.
  topology,
  storeBench,
  c8Measurement,
  storeFaults,
  reliability,
  ttlMeasurement,
  throughput,
  fileExposure,
  defaultStore,
] as Measurement<never>[];
