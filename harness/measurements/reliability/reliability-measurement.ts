/**
 * harness/measurements/reliability/: hostile input, provider faults and security in order on one deployment pool.
 *
 * Hostile input, provider faults and security on one pool, with a mock of its own (it turns the mock's knobs).
 */
import type { Measurement } from '../measurement.ts';
import { measureReliability, reliabilityRows, type ReliabilityMeasurements } from './measure-reliability.ts';

export const reliabilityMeasurement: Measurement<ReliabilityMeasurements> = {
  id: 'hostile-provider-security',
  ownMock: true,
  // Its security half draws states in-process through the store module, and its hostile battery reads src/'s page vocabulary.
  notApplicable: (target) => (target.storeModule ? undefined : 'not yet run on a target without a store module (its security half draws states through the store code)'),
  run: (ctx) => measureReliability(ctx),
  reliability: (raw) => reliabilityRows(raw),
};
