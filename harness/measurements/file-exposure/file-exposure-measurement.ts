/**
 * harness/measurements/file-exposure/: C9, what the store's files let another local user read.
 *
 * C9: what the store's files let another local user read.
 */
import { defineMeasurement } from '../measurement.ts';
import { claimC9 } from './claim-c9.ts';
import { measureFileExposure, type StoreExposure } from './file-exposure.ts';
import { measureZeroConfig, type ZeroConfigResult } from './zero-config.ts';
import { measureFileGrowth, type FileGrowth } from './file-growth.ts';
import { claimC5FromFiles } from '../store-bench/store-claims.ts';

export interface FileExposureRaw {
  exposures: StoreExposure[];
  zeroConfig: ZeroConfigResult;
  /** C5 from outside, for a target that gives no store module (the store benchmark cannot run on it). */
  fileGrowth?: { measured: FileGrowth | undefined; quick: boolean };
}

const WRITE_UP_STORE = 'json-file';

export const fileExposureMeasurement = defineMeasurement({
  id: 'file-exposure',
  claimIds: ['C9'],
  run: async (ctx): Promise<FileExposureRaw> => ({
    exposures: await measureFileExposure(ctx),
    zeroConfig: await measureZeroConfig(ctx),
    ...(ctx.target.storeModule
      ? {}
      : { fileGrowth: { measured: WRITE_UP_STORE in ctx.target.stores ? await measureFileGrowth(ctx, WRITE_UP_STORE) : undefined, quick: ctx.quick } }),
  }),
  // C5 from the files stands in for the store benchmark's where that cannot run (the runner keeps the measured row over a stand-in).
  check: (recorded: FileExposureRaw) => ({
    claims: [claimC9(recorded.exposures, recorded.zeroConfig), ...(recorded.fileGrowth ? [claimC5FromFiles(recorded.fileGrowth.measured, recorded.fileGrowth.quick)] : [])],
  }),
});
