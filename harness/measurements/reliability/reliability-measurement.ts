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
  run: (ctx) => measureReliability(ctx),
  reliability: (raw) => reliabilityRows(raw),
};
