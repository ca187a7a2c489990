/**
 * harness/measurements/store-faults/: crashes mid-write, write errors, broken files, a hostile shared /tmp.
 *
 * Crash, write errors, broken files and a hostile shared /tmp, per store,
 * driving the store's own code: it needs the target's store module.
 */
import { rowsColumn } from '../grade-cell.ts';
import { defineMeasurement } from '../measurement.ts';
import { faultRows } from './fault-rows.ts';
import { measureStoreFaults, type StoreFaultsResult } from './measure-store-faults.ts';

export const storeFaultsMeasurement = defineMeasurement({
  id: 'store-faults',
  needs: ['store-module'],
  columns: [{ name: 'crash', what: 'the fault rows: kills inside writes, write errors, broken files, a hostile shared /tmp' }],
  run: (ctx) => measureStoreFaults({ stores: ctx.stores, quick: ctx.quick, runDir: ctx.run.dir, onProgress: ctx.onProgress, redisUrl: ctx.run.services.redisUrl, keep: ctx.run.keep }),
  check: (recorded: StoreFaultsResult, { stores }) => {
    const rows = faultRows(recorded);
    return { rows, grades: { crash: rowsColumn(rows, stores) } };
  },
});
