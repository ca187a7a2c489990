/**
 * Every measurement a run makes after the scenario table, in report order.
 * Adding a measurement is adding it here.
 */
import { claimC9 } from '../claims/claim-c9.ts';
import { measureFileExposure, type StoreExposure } from '../claims/file-exposure.ts';
import { topologyClaims } from '../claims/topology-claims.ts';
import type { Measurement } from './measurement.ts';

const topology: Measurement<null> = {
  id: 'topology-claims',
  claimIds: ['C1', 'C2', 'C3', 'C4'],
  run: async () => null,
  claims: (_raw, cells) => topologyClaims(cells),
};

const fileExposure: Measurement<StoreExposure[]> = {
  id: 'file-exposure',
  claimIds: ['C9'],
  run: (ctx) => measureFileExposure(ctx),
  claims: (raw, cells) => [claimC9(cells, raw)],
};

export const MEASUREMENTS: readonly Measurement<never>[] = [topology, fileExposure] as Measurement<never>[];
