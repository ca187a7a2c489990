/**
 * harness/measurements/: one folder per claim or area, each with what it
 * runs, how it judges (pure functions), the rows it emits and the values it
 * publishes, behind the contract in measurement.ts. This file is the list,
 * as data: adding a measurement is adding its folder and one line here.
 */
import { browserMeasurement } from './browser/browser-measurement.ts';
import { c8Measurement } from './concurrency/c8-measurement.ts';
import { defaultStoreMeasurement } from './default-store/default-store-measurement.ts';
import { fileExposureMeasurement } from './file-exposure/file-exposure-measurement.ts';
import { hostileInputMeasurement } from './hostile-input/hostile-input-measurement.ts';
import type { AnyMeasurement } from './measurement.ts';
import { providerFaultsMeasurement } from './provider-faults/provider-faults-measurement.ts';
import { securityMeasurement } from './security/security-measurement.ts';
import { storeBenchMeasurement } from './store-bench/store-bench-measurement.ts';
import { storeFaultsMeasurement } from './store-faults/store-faults-measurement.ts';
import { topologyClaimsMeasurement } from './topology-claims/topology-claims-measurement.ts';
import { ttlMeasurement } from './ttl-clock/ttl-measurement.ts';
import { remoteLoadMeasurement } from './remote-load/remote-load-measurement.ts';
import { remoteTtlMeasurement } from './remote-ttl/remote-ttl-measurement.ts';
import { remoteFootprintMeasurement } from './remote-footprint/remote-footprint-measurement.ts';

/** In report order; the longest first, so that two at a time finish close together (a sequence runs as one, where its first member stands). */
export const MEASUREMENTS: readonly AnyMeasurement[] = [
  topologyClaimsMeasurement,
  storeBenchMeasurement,
  c8Measurement,
  storeFaultsMeasurement,
  hostileInputMeasurement,
  providerFaultsMeasurement,
  securityMeasurement,
  browserMeasurement,
  ttlMeasurement,
  fileExposureMeasurement,
  defaultStoreMeasurement,
  remoteLoadMeasurement,
  remoteTtlMeasurement,
  remoteFootprintMeasurement,
];
