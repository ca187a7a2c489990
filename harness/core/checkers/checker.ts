/**
 * harness/core/checkers/: pure functions from a history to a verdict (true | false | unknown).
 *
 * Checkers are pure functions from a history to a verdict. A checker that
 * throws gives "unknown" with the error, never a pass.
 */
import type { Operation } from '../history.ts';

export type Validity = true | false | 'unknown';

export interface CheckerVerdict<T = unknown> {
  checker: string;
  valid: Validity;
  /** What the checker found, for the report; absent when it crashed. */
  details?: T;
  error?: string;
}

export type Checker<T> = (history: readonly Operation[]) => { valid: boolean; details: T };

export function runChecker<T>(name: string, checker: Checker<T>, history: readonly Operation[]): CheckerVerdict<T> {
  try {
    const { valid, details } = checker(history);
    return { checker: name, valid, details };
  } catch (error) {
    return { checker: name, valid: 'unknown', error: error instanceof Error ? error.message : String(error) };
  }
}
