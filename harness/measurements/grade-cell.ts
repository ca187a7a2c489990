/**
 * One cell of "Which fix to ship": a store's grade on one column, with what
 * it counted. Measurements build the cells of the columns they declare with
 * these pure helpers; grading only collects and ranks them.
 */
import type { ReliabilityRow } from './measure-context.ts';
import { describeOutside, tallyCases } from './case-tally.ts';

/** 'n/a': no case of the column can apply to the store (all n/a or recorded); the column is left out of its score. */
export type Grade = 'pass' | 'conditional' | 'fail' | 'not measured' | 'n/a';

export interface GradeCell {
  grade: Grade;
  detail: string;
  /** What the grade counted: passed of judged, in `unit` (flows, cases, probes). Absent when nothing was counted. */
  count?: { passed: number; judged: number; unit: string };
}

/** A column made of reliability rows: pass when every judged case passed; n/a, recorded, unknown and harness-error cases are left out. */
export function rowsGrade(rows: readonly ReliabilityRow[], store: string): GradeCell {
  const tally = tallyCases(rows, store);
  const outside = describeOutside(tally);
  const note = outside.length ? ` (${outside.join(', ')} not counted)` : '';
  if (tally.judged === 0) {
    // Nothing judged because nothing could apply is no evidence either way; nothing judged because the harness failed is 'not measured', and says so.
    const notJudged = tally.unknown + tally.harnessErrors;
    if (notJudged === 0 && tally.notApplicable + tally.recorded > 0) return { grade: 'n/a', detail: `no case applies${note}` };
    return { grade: 'not measured', detail: notJudged ? `no case judged${note}` : `no case ran${note}` };
  }
  const count = { passed: tally.passed, judged: tally.judged, unit: 'cases' };
  if (tally.failed === 0) return { grade: 'pass', detail: `${tally.passed}/${tally.judged} cases${note}`, count };
  return { grade: 'fail', detail: `${tally.passed}/${tally.judged} cases${note}; failed: ${tally.failedIds.join(', ')}`, count };
}

/** The same rows graded for every store: a column's cells. */
export function rowsColumn(rows: readonly ReliabilityRow[], stores: readonly string[]): Record<string, GradeCell> {
  return Object.fromEntries(stores.map((store) => [store, rowsGrade(rows, store)]));
}
