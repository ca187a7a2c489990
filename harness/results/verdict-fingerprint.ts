/**
 * Every verdict a run reached, one line each, and nothing else: the claims'
 * verdicts, each scenario cell's observed outcome, each reliability row ×
 * store outcome, each grading cell and each recommendation. Figures, timings and pids are left out,
 * so two runs of the same code on the same machine give the same lines
 * however busy the machine was: that is what "a busy machine must not
 * change a verdict" is checked against. Pure.
 */
import type { ResultsDocument } from './results-document.ts';
import { baselineOf } from './verdict-baseline.ts';

/** The verdicts of the baseline's shape (verdict-baseline.ts), one line each. */
export function verdictFingerprint(document: Pick<ResultsDocument, 'claims' | 'cells' | 'reliability' | 'grading'>): string[] {
  const b = baselineOf(document, 'quick');
  const lines: string[] = [];
  for (const [id, v] of Object.entries(b.claims)) lines.push(`claim ${id}: ${v.outcome}`);
  for (const [scenario, stores] of Object.entries(b.scenarios)) for (const [store, v] of Object.entries(stores)) lines.push(`cell ${scenario} × ${store}: ${v.outcome}`);
  for (const rows of Object.values(b.rows)) for (const [row, stores] of Object.entries(rows)) for (const [store, v] of Object.entries(stores)) lines.push(`row ${row} × ${store}: ${v.outcome}`);
  for (const [store, columns] of Object.entries(b.grades)) for (const [column, v] of Object.entries(columns)) lines.push(`grade ${store} ${column}: ${v.outcome}`);
  for (const [scope, v] of Object.entries(b.recommendations)) lines.push(`ship for ${scope}: ${v.outcome}`);
  return lines.sort();
}

/** The lines of `other` that differ from `reference`: what each says where they disagree. */
export function fingerprintDifferences(reference: readonly string[], other: readonly string[]): { onlyInReference: string[]; onlyInOther: string[] } {
  const a = new Set(reference);
  const b = new Set(other);
  return { onlyInReference: reference.filter((line) => !b.has(line)), onlyInOther: other.filter((line) => !a.has(line)) };
}
