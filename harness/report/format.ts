/** Small formatters shared by the terminal table and REPORT.md. */
import type { CellResult } from '../core/cell-result.ts';
import type { Expectation } from '../core/scenario.ts';

export const ms = (value: number | undefined) => (value === undefined ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));

export function describeExpectation(expectation: Expectation): string {
  return expectation.outcome === 'pass' ? 'pass' : `fail at ${expectation.stage}`;
}

export function describeObserved(cell: CellResult): string {
  if (cell.harnessError) return 'harness error';
  if (!cell.observed) return 'unknown';
  return cell.observed.outcome === 'pass' ? 'pass' : `fail at ${cell.observed.stage}`;
}

export function matchMark(cell: CellResult): string {
  if (cell.harnessError) return 'HARNESS ERROR';
  if (cell.matched === 'unknown') return 'unknown';
  return cell.matched ? 'as expected' : 'MISMATCH';
}

export function pids(cell: CellResult): string {
  return cell.processes.map((p) => `${p.role} ${p.pid}`).join(', ') || '–';
}

export function errorsLine(cell: CellResult): string {
  if (cell.harnessError) return cell.harnessError.split('\n')[0] ?? '';
  return cell.errors.map((error) => `${error.count}× ${error.message}`).join('; ') || '–';
}

export function verdictLine(matched: number, total: number, mismatched: number, harnessErrors: number, unknown: number): string {
  if (harnessErrors > 0) return `HARNESS FAILED: ${harnessErrors} of ${total} cells could not run; see the run's logs.`;
  if (mismatched > 0 || unknown > 0) {
    return `MISMATCH: ${mismatched} of ${total} scenario × store cells did not behave as expected${unknown ? ` (${unknown} could not be judged)` : ''}.`;
  }
  return `REPRODUCED: all ${matched} scenario × store cells behaved as expected.`;
}
