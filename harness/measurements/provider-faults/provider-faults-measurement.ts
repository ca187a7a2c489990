/**
 * harness/measurements/provider-faults/: the provider misbehaving (hangs, errors, denied consent, replays).
 *
 * Runs on every target, after hostile input and on its deployments; it turns
 * the knobs of its sequence's own mock, one case at a time, and restores them.
 */
import { RELIABILITY_SEQUENCE } from '../hostile-input/hostile-input-measurement.ts';
import { defineMeasurement } from '../measurement.ts';
import { measureProviderFaults, type ProviderFaultsResult } from './measure-provider-faults.ts';
import { providerFaultRows } from './provider-fault-rows.ts';

export const providerFaultsMeasurement = defineMeasurement({
  id: 'provider-faults',
  ownMock: true,
  sequence: RELIABILITY_SEQUENCE,
  run: (ctx) => measureProviderFaults(ctx, ctx.sequencePool ? { pool: ctx.sequencePool } : {}),
  check: (recorded: ProviderFaultsResult) => ({ rows: providerFaultRows(recorded) }),
});
