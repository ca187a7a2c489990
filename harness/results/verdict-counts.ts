/** The results document's verdict counts over cells of either table (scenario × store, remote scenario × store). */
import type { ResultsDocument } from './results-document.ts';

interface JudgedCell {
  matched: true | false | 'unknown';
  harnessError?: string;
}

export function verdictCounts(cells: readonly JudgedCell[], measurementErrors = 0): ResultsDocument['verdict'] {
  return {
    allMatched: cells.length > 0 && cells.every((cell) => cell.matched === true),
    matched: cells.filter((cell) => cell.matched === true).length,
    mismatched: cells.filter((cell) => cell.matched === false).length,
    unknown: cells.filter((cell) => cell.matched === 'unknown').length,
    harnessErrors: cells.filter((cell) => cell.harnessError).length,
    measurementErrors,
  };
}
