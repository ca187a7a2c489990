/**
 * harness/measurements/ttl-clock/: C6 through a virtual clock: boundary, skew, cleanup, future stamps.
 *
 * C6 as a measurement of the run (see harness/measure/measurement.ts): measureTtl, judged by claimC6.
 */
import type { Measurement } from '../measurement.ts';
import { claimC6 } from './claim-c6.ts';
import { measureTtl } from './measure-ttl.ts';
import type { TtlResult } from './ttl-result.ts';

export const ttlMeasurement: Measurement<TtlResult> = {
  id: 'c6-ttl',
  claimIds: ['C6'],
  run: (ctx) => measureTtl(ctx),
  claims: (raw) => [claimC6(raw)],
};
