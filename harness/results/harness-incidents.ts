/**
 * The harness's own trouble in one run, one entry per incident: a scenario
 * cell that could not run, a measurement that crashed, a store whose
 * measurement setup failed every retry (however many rows that left
 * unrun). Pure, from the results document. The CLI compares the count with
 * --max-harness-errors: past it the run exits 2 with this list and leaves
 * REPORT.md as it was, since a report with holes where verdicts should be
 * would read as a different target.
 */
import type { CellResult } from '../core/cell-result.ts';
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import type { MeasurementRecord } from '../measurements/measurement.ts';

export interface HarnessIncident {
  /** Where: "split-process × sqlite", "measurement store-faults", "hostile-input × sqlite". */
  where: string;
  /** The error with its cause chain. */
  cause: string;
  /** Row × store cells it left unrun (0 for a cell or a whole measurement). */
  rows: number;
}

export function harnessIncidents(document: { cells: readonly CellResult[]; measurements: readonly MeasurementRecord[]; reliability: readonly ReliabilityRow[] }): HarnessIncident[] {
  const incidents: HarnessIncident[] = [];
  for (const cell of document.cells) if (cell.harnessError) incidents.push({ where: `${cell.scenario} × ${cell.store}`, cause: cell.harnessError, rows: 0 });
  for (const record of document.measurements) if (record.error) incidents.push({ where: `measurement ${record.id}`, cause: record.error, rows: 0 });
  // One failed setup leaves many rows unrun with the same words: one incident per group × store × cause.
  const grouped = new Map<string, HarnessIncident>();
  for (const row of document.reliability) {
    for (const [store, result] of Object.entries(row.perStore)) {
      if (result.outcome !== 'harness-error') continue;
      const key = `${row.group}\0${store}\0${result.detail}`;
      const incident = grouped.get(key) ?? { where: `${row.group} × ${store}`, cause: result.detail, rows: 0 };
      incident.rows += 1;
      grouped.set(key, incident);
    }
  }
  return [...incidents, ...grouped.values()];
}

/** The list as the terminal shows it when the run gives up on its report. */
export function describeIncidents(incidents: readonly HarnessIncident[]): string {
  return incidents.map((i) => `  - ${i.where}${i.rows ? ` (${i.rows} row${i.rows === 1 ? '' : 's'} not run)` : ''}: ${i.cause}`).join('\n');
}
