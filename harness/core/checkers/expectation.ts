/**
 * Compares what a scenario expected of a store with what the history shows.
 * A 'pass' expectation needs every flow to pass; a 'fail' one needs every
 * flow to fail at the named stage, with the named message when one is given.
 */
import type { Operation } from '../history.ts';
import type { Expectation } from '../scenario.ts';
import type { Checker } from './checker.ts';
import { flowFates, type FlowFate } from './flow-outcomes.ts';

export interface Observed {
  outcome: 'pass' | 'fail';
  /** The stage most flows failed at, when any failed. */
  stage?: string;
  message?: string;
}

export interface ExpectationDetails {
  expected: Expectation;
  observed: Observed;
  /** Flows that did not behave as expected, with what they did. */
  mismatches: FlowFate[];
}

export function observedOutcome(fates: readonly FlowFate[]): Observed {
  const failures = fates.filter((fate) => !fate.passed);
  if (failures.length === 0) return { outcome: 'pass' };
  const counts = new Map<string, { fate: FlowFate; count: number }>();
  for (const fate of failures) {
    const key = `${fate.failedAt}\u0000${fate.error}`;
    const entry = counts.get(key) ?? { fate, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const most = [...counts.values()].sort((a, b) => b.count - a.count)[0]!.fate;
  return { outcome: 'fail', stage: most.failedAt, message: most.error };
}

/** Does what the user saw say what the scenario expected? Exact by default; a target may word the same failure its own way. */
export type MessageMatcher = (expected: string, seen: string | undefined) => boolean;

const exactly: MessageMatcher = (expected, seen) => seen === expected;

function behavesAsExpected(fate: FlowFate, expected: Expectation, sameMessage: MessageMatcher): boolean {
  if (expected.outcome === 'pass') return fate.passed;
  if (fate.passed || fate.failedAt !== expected.stage) return false;
  return sameMessage(expected.message, fate.error);
}

export const expectationChecker =
  (expected: Expectation, sameMessage: MessageMatcher = exactly): Checker<ExpectationDetails> =>
  (history: readonly Operation[]) => {
    const fates = flowFates(history);
    if (fates.length === 0) throw new Error('the history holds no flow: nothing to judge');
    const mismatches = fates.filter((fate) => !behavesAsExpected(fate, expected, sameMessage));
    return { valid: mismatches.length === 0, details: { expected, observed: observedOutcome(fates), mismatches } };
  };

/**
 * The write-up's invalid-state sentence, or the target's own wording of the
 * same failure: the page the target's invalid-state pattern recognised.
 */
export function targetMessageMatcher(target: { callbackPage: { invalidState: RegExp } }, writeUpMessage: string): MessageMatcher {
  return (expected, seen) => seen === expected || (seen !== undefined && expected === writeUpMessage && target.callbackPage.invalidState.test(seen));
}
