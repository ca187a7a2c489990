/**
 * The first thing a target's first run says, before any baseline exists:
 * what its default store did in each scenario, in its users' words. The
 * store profiles a target file declares say what to *expect* of a store
 * (a one-process store loses the state across processes); they must not
 * turn the default store's failures into "as expected" on a run nobody has
 * looked at yet. Accepting them is the user's explicit step (--update-baseline). Pure.
 */
import type { CellResult } from '../core/cell-result.ts';

export interface Diagnosis {
  store: string;
  /** One line per scenario the default store failed, with what its users saw. */
  failures: string[];
  /** The headline: what the default store does, in one sentence. */
  line: string;
}

export function diagnose(cells: readonly CellResult[], defaultStore: string | undefined): Diagnosis | undefined {
  const store = defaultStore ?? cells[0]?.store;
  if (!store) return undefined;
  const mine = cells.filter((cell) => cell.store === store && !cell.harnessError && cell.observed);
  if (mine.length === 0) return undefined;
  const failed = mine.filter((cell) => cell.observed!.outcome !== 'pass');
  if (failed.length === 0) return { store, failures: [], line: `your server's default store (${store}) completed every flow in ${mine.map((c) => c.scenario).join(', ')}.` };
  const failures = failed.map((cell) => {
    const message = cell.observed!.message ?? cell.errors[0]?.message;
    return `${cell.scenario}: ${cell.stateLookups.ok}/${cell.flows} state lookups ok, failed at ${cell.observed!.stage}${message ? `: users would see "${message}"` : ''}`;
  });
  const lost = failed.filter((cell) => cell.observed!.stage === 'state-lookup').map((cell) => cell.scenario);
  const quoted = failed.map((cell) => cell.observed!.message ?? cell.errors[0]?.message).find(Boolean);
  const line = lost.length
    ? `your server's default store (${store}) loses the state in ${lost.join(' and ')}${quoted ? `: users would see "${quoted}"` : ''}.`
    : `your server's default store (${store}) fails in ${failed.map((c) => c.scenario).join(' and ')}.`;
  return { store, failures, line };
}
