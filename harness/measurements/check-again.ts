/**
 * A stored run's measurements checked again by today's `check` functions,
 * for `npm run render-report`: charts redrawn in today's style, and the
 * published values and grade columns a document from before they existed
 * lacks. A record
 * whose data no longer fits today's check (an older schema) keeps what its
 * run stored.
 */
import type { CellResult } from '../core/cell-result.ts';
import type { ChartSpec } from './chart-spec.ts';
import type { MeasurementRecord } from './measurement.ts';
import { MEASUREMENTS } from './measurement-list.ts';
import { applyCheck } from './run-measurements.ts';
import { WRITE_UP_NAMES, type WriteUpStores } from './write-up-stores.ts';

export interface CheckedAgain {
  charts: ChartSpec[];
  records: MeasurementRecord[];
}

export function checkAgain(records: readonly MeasurementRecord[], cells: readonly CellResult[], writeUp: WriteUpStores = WRITE_UP_NAMES): CheckedAgain {
  const stores = [...new Set(cells.map((cell) => cell.store))];
  const charts: ChartSpec[] = [];
  const again = records.map((record) => {
    const measurement = MEASUREMENTS.find((m) => m.id === record.id);
    if (!measurement || record.raw === undefined || record.error || record.notApplicable) return record;
    try {
      const fresh: MeasurementRecord = { ...record };
      charts.push(...(applyCheck(measurement, fresh, { cells, stores, writeUp }).charts ?? []));
      // What the run published stays; a document from before a value existed gets today's.
      return { ...fresh, ...(record.published ? { published: record.published } : {}), ...(record.columns ? { columns: record.columns } : {}) };
    } catch {
      return record;
    }
  });
  return { charts, records: again };
}
