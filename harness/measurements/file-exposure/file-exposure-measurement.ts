/**
 * harness/measurements/file-exposure/: C9, what the store's files let another local user read.
 *
 * C9: what the store's files let another local user read.
 */
import type { Measurement } from '../measurement.ts';
import { claimC9 } from './claim-c9.ts';
import { measureFileExposure, type StoreExposure } from './file-exposure.ts';
import { measureZeroConfig, type ZeroConfigResult } from './zero-config.ts';

export interface FileExposureRaw {
  exposures: StoreExposure[];
  zeroConfig: ZeroConfigResult;
}

export const fileExposureMeasurement: Measurement<FileExposureRaw> = {
  id: 'file-exposure',
  claimIds: ['C9'],
  run: async (ctx) => ({ exposures: await measureFileExposure(ctx), zeroConfig: await measureZeroConfig(ctx) }),
  claims: (raw) => [claimC9(raw.exposures, raw.zeroConfig)],
};
