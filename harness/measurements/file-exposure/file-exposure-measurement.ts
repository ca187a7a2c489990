/**
 * harness/measurements/file-exposure/: C9, what the store's files let another local user read.
 *
 * C9: what the store's files let another local user read.
 */
import type { Measurement } from '../measurement.ts';
import { claimC9 } from './claim-c9.ts';
import { measureFileExposure, type StoreExposure } from './file-exposure.ts';

export const fileExposureMeasurement: Measurement<StoreExposure[]> = {
  id: 'file-exposure',
  claimIds: ['C9'],
  run: (ctx) => measureFileExposure(ctx),
  claims: (raw, cells) => [claimC9(cells, raw)],
};
