/**
 * harness/measurements/store-faults/: crashes mid-write, write errors, broken files, a hostile shared /tmp.
 *
 * Crash, write errors, broken files and a hostile shared /tmp, per store.
 */
import { NEEDS_STORE_MODULE, type Measurement } from '../measurement.ts';
import { faultRows } from './fault-rows.ts';
import { measureStoreFaults, type StoreFaultsResult } from './measure-store-faults.ts';

export const storeFaultsMeasurement: Measurement<StoreFaultsResult> = {
  id: 'store-faults',
  notApplicable: NEEDS_STORE_MODULE,
  run: (ctx) => measureStoreFaults({ stores: ctx.stores, quick: ctx.quick, runDir: ctx.run.dir, onProgress: ctx.onProgress, redisUrl: ctx.run.services.redisUrl, keep: ctx.run.keep }),
  reliability: (raw) => faultRows(raw),
};
