/**
 * A measurement's setup for one store that failed (its deployment would not
 * start, its control flow could not run): kept with the whole cause chain,
 * and whether it was the harness's own trouble (a HarnessError: the start
 * failed every retry) or something the target did. The rows it leaves
 * behind say which: 'harness-error' is the run's, 'unknown' is a case the
 * harness could not judge; neither is ever a pass.
 */
import { describeError, isHarnessError } from '../core/harness-error.ts';
import type { CaseOutcome } from './measure-context.ts';

export interface SetupError {
  store: string;
  /** The error and its causes on one line. */
  error: string;
  /** true: the harness's own trouble (after retries), not the target's. */
  harness: boolean;
}

export function setupError(store: string, error: unknown): SetupError {
  return { store, error: describeError(error), harness: isHarnessError(error) };
}

/** The cell of a case that could not run for `store` because of these setup errors. */
export function notRunCell(errors: readonly SetupError[], store: string, fallback = 'no data'): { outcome: CaseOutcome; detail: string } {
  const own = errors.filter((e) => e.store === store);
  const harness = own.length > 0 && own.every((e) => e.harness);
  return { outcome: harness ? 'harness-error' : 'unknown', detail: `not run: ${own.map((e) => e.error).join('; ') || fallback}` };
}
