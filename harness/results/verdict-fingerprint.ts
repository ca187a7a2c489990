/**
 * Every verdict a run reached, one line each, and nothing else: the claims'
 * verdicts, each scenario cell's observed outcome, each reliability row ×
 * store outcome, each grading cell and each recommendation. Figures, timings and pids are left out,
 * so two runs of the same code on the same machine give the same lines
 * however busy the machine was: that is what "a busy machine must not
 * change a verdict" is checked against. Pure.
 */
import type { ResultsDocument } from './results-document.ts';

export function verdictFingerprint(document: Pick<ResultsDocument, 'claims' | 'cells' | 'reliability' | 'grading'>): string[] {
  const lines: string[] = [];
  for (const claim of document.claims) lines.push(`claim ${claim.id}: ${claim.verdict}`);
  for (const cell of document.cells) {
    const observed = cell.harnessError ? 'harness error' : !cell.observed ? 'unknown' : cell.observed.outcome === 'pass' ? 'pass' : `fail at ${cell.observed.stage}`;
    lines.push(`cell ${cell.scenario} × ${cell.store}: ${observed}`);
  }
  for (const row of document.reliability) for (const [store, result] of Object.entries(row.perStore)) lines.push(`row ${row.id} × ${store}: ${result.outcome}`);
  for (const grade of document.grading?.stores ?? []) for (const [column, cell] of Object.entries(grade.columns)) lines.push(`grade ${grade.store} ${column}: ${cell.grade}`);
  for (const recommendation of document.grading?.recommendations ?? []) lines.push(`ship for ${recommendation.scope}: ${recommendation.store ?? 'none'}`);
  return lines.sort();
}

/** The lines of `other` that differ from `reference`: what each says where they disagree. */
export function fingerprintDifferences(reference: readonly string[], other: readonly string[]): { onlyInReference: string[]; onlyInOther: string[] } {
  const a = new Set(reference);
  const b = new Set(other);
  return { onlyInReference: reference.filter((line) => !b.has(line)), onlyInOther: other.filter((line) => !a.has(line)) };
}
