/**
 * How many reliability cases a store passed, counted the one way every
 * table uses (grading, REPORT.md, the terminal summary): only verdicts
 * count. A case that cannot apply ('n/a'), a fact reported without a
 * verdict ('recorded'), a case the harness could not judge ('unknown') and
 * one its own trouble kept from running ('harness-error') stay out of both
 * numbers, so a pass in a tally is always a case that
 * applied and could have failed. The browser rows are the target's, not a
 * store's: they stay out of every store's tally.
 */
import type { CaseOutcome, ReliabilityRow } from './measure-context.ts';

export interface CaseTally {
  passed: number;
  failed: number;
  /** passed + failed: the cases that were judged. */
  judged: number;
  notApplicable: number;
  recorded: number;
  unknown: number;
  harnessErrors: number;
  /** Ids of the failed cases, in row order. */
  failedIds: string[];
}

export const isVerdict = (outcome: CaseOutcome): outcome is 'pass' | 'fail' => outcome === 'pass' || outcome === 'fail';

export function tallyCases(rows: readonly ReliabilityRow[], store: string): CaseTally {
  const tally: CaseTally = { passed: 0, failed: 0, judged: 0, notApplicable: 0, recorded: 0, unknown: 0, harnessErrors: 0, failedIds: [] };
  for (const row of rows) {
    // Judged once per target with its default store: the server's page, not a case of that store.
    if (row.group === 'browser') continue;
    const outcome = row.perStore[store]?.outcome;
    if (outcome === undefined) continue;
    if (outcome === 'pass') tally.passed += 1;
    else if (outcome === 'fail') {
      tally.failed += 1;
      tally.failedIds.push(row.id);
    } else if (outcome === 'n/a') tally.notApplicable += 1;
    else if (outcome === 'recorded') tally.recorded += 1;
    else if (outcome === 'harness-error') tally.harnessErrors += 1;
    else tally.unknown += 1;
  }
  tally.judged = tally.passed + tally.failed;
  return tally;
}

/** What stayed out of a tally, in words: "2 n/a, 1 harness error". */
export function describeOutside(tally: CaseTally): string[] {
  return [
    tally.notApplicable ? `${tally.notApplicable} n/a` : '',
    tally.recorded ? `${tally.recorded} recorded` : '',
    tally.unknown ? `${tally.unknown} unknown` : '',
    tally.harnessErrors ? `${tally.harnessErrors} harness error${tally.harnessErrors === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
}

/** "114/120 cases" with what stayed out, for a line of prose. */
export function describeTally(tally: CaseTally): string {
  const outside = describeOutside(tally);
  return `${tally.passed}/${tally.judged} cases${outside.length ? ` (not counted: ${outside.join(', ')})` : ''}`;
}
