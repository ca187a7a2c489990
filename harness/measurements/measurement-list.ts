/**
 * harness/measurements/: one folder per claim or area, each with what it
 * runs, how it judges (pure functions) and the rows it emits, behind the
 * contract in measurement.ts. This file is the list, as data: adding a
 * measurement is adding it here.
 */
import { browserMeasurement } from './browser/browser-measurement.ts';
import { c8Measurement } from './concurrency/c8-measurement.ts';
import { defaultStoreMeasurement } from './default-store/default-store-measurement.ts';
import { fileExposureMeasurement } from './file-exposure/file-exposure-measurement.ts';
import type { Measurement } from './measurement.ts';
import { reliabilityMeasurement } from './reliability/reliability-measurement.ts';
import { storeBenchMeasurement } from './store-bench/store-bench-measurement.ts';
import { storeFaultsMeasurement } from './store-faults/store-faults-measurement.ts';
import { topologyClaimsMeasurement } from './topology-claims/topology-claims-measurement.ts';
import { ttlMeasurement } from './ttl-clock/ttl-measurement.ts';

/** In report order; the longest first, so that two at a time finish close together. */
export const MEASUREMENTS: readonly Measurement<never>[] = [
  topologyClaimsMeasurement,
  storeBenchMeasurement,
  c8Measurement,
  storeFaultsMeasurement,
  reliabilityMeasurement,
  browserMeasurement,
  ttlMeasurement,
  fileExposureMeasurement,
  defaultStoreMeasurement,
] as Measurement<never>[];
