/**
 * harness/measurements/file-exposure/: C9, what the store's files let another local user read.
 *
 * C9: what the store's files let another local user read.
 */
import { defineMeasurement } from '../measurement.ts';
import { claimWithoutStore, writeUpStores } from '../write-up-stores.ts';
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

export const fileExposureMeasurement = defineMeasurement({
  id: 'file-exposure',
  claimIds: ['C9'],
  evidence: {
    C9: { quick: "per store, its files read as another local user after real flows; the target's own default store run with no store variable (3 flows); pending state listed with jq", benchAdds: '' },
    C5: { quick: 'the session file measured after 20 real flows (the store benchmark needs a store module this target does not give)', benchAdds: '' },
  },
  run: async (ctx): Promise<FileExposureRaw> => {
    const file = writeUpStores(ctx.target).file;
    return {
      exposures: await measureFileExposure(ctx),
      zeroConfig: await measureZeroConfig(ctx),
      ...(ctx.target.storeModule ? {} : { fileGrowth: { measured: file && ctx.stores.includes(file) ? await measureFileGrowth(ctx, file) : undefined, quick: ctx.quick } }),
    };
  },
  // C5 from the files stands in for the store benchmark's where that cannot run (the runner keeps the measured row over a stand-in).
  check: (recorded: FileExposureRaw, { writeUp }) => ({
    claims: [
      writeUp.file ? claimC9(recorded.exposures, recorded.zeroConfig, writeUp.file) : claimWithoutStore('C9', '"Zero config", "debuggable: sessions visible in file system"', writeUp.why?.file, false),
      ...(recorded.fileGrowth ? [claimC5FromFiles(recorded.fileGrowth.measured, recorded.fileGrowth.quick, writeUp.why?.file)] : []),
    ],
  }),
});
