/**
 * Measurement records for grading tests built from fixed data: the columns
 * the measurements would declare, graded from given rows, and published
 * values, without running anything.
 */
import type { ReliabilityRow } from '../../measurements/measure-context.ts';
import type { MeasurementRecord } from '../../measurements/measurement.ts';
import type { Published } from '../../measurements/published-values.ts';
import { rowsColumn } from '../../measurements/grade-cell.ts';

/** The reliability groups that make a column, as src/'s measurements declare them. */
const COLUMN_OF_GROUP: Partial<Record<ReliabilityRow['group'], { id: string; column: string }>> = {
  fault: { id: 'store-faults', column: 'crash' },
  'hostile-input': { id: 'hostile-input', column: 'hostile input' },
  security: { id: 'security', column: 'security' },
};

/** One record per column, graded from the rows of its group (forced races, which belong to the concurrency column, left out). */
export function rowColumnRecords(rows: readonly ReliabilityRow[], stores: readonly string[]): MeasurementRecord[] {
  return Object.entries(COLUMN_OF_GROUP).map(([group, { id, column }]) => ({
    id,
    durationMs: 1,
    quick: true,
    columns: [{ name: column, what: `${group} rows`, cells: rowsColumn(rows.filter((row) => row.group === group && !row.id.startsWith('forced-')), stores) }],
  }));
}

export const publishedRecord = (id: string, published: Published): MeasurementRecord => ({ id, durationMs: 1, quick: true, published });
