import { describe, expect, test } from 'vitest';
import type { Operation } from '../history.ts';
import { runChecker } from './checker.ts';
import { expectationChecker } from './expectation.ts';
import { summariseFlows } from './flow-outcomes.ts';
import { percentile } from './percentile.ts';

const INVALID = 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.';
let index = 0;
const op = (partial: Omit<Operation, 'index' | 'time'>): Operation => ({ index: index++, time: index, ...partial });

function passingFlow(flow: number, latencyMs: number): Operation[] {
  const steps = ['start_oauth', 'authorize', 'callback', 'token-handoff'];
  const first = index;
  const ops = steps.flatMap((f) => [op({ type: 'invoke', f, process: 'p', flow }), op({ type: 'ok', f, process: 'p', flow })]);
  // Spread the flow's operations over exactly latencyMs.
  return ops.map((o, i) => ({ ...o, time: first + (latencyMs * i) / (ops.length - 1) }));
}

function rejectedFlow(flow: number): Operation[] {
  return [
    op({ type: 'invoke', f: 'start_oauth', process: 'tool#1', flow }),
    op({ type: 'ok', f: 'start_oauth', process: 'tool#1', flow }),
    op({ type: 'invoke', f: 'authorize', process: 'user-agent', flow }),
    op({ type: 'ok', f: 'authorize', process: 'user-agent', flow }),
    op({ type: 'invoke', f: 'callback', process: 'callback#2', flow }),
    op({ type: 'fail', f: 'callback', process: 'callback#2', flow, error: INVALID, value: { outcome: 'invalid-state' } }),
  ];
}

describe('flow outcomes', () => {
  test('counts lookups, hand-offs, errors and latency percentiles', () => {
    const history = [...passingFlow(1, 10), ...passingFlow(2, 30), ...rejectedFlow(3)];
    const summary = summariseFlows(history);
    expect(summary).toMatchObject({
      flows: 3,
      passed: 2,
      stateLookups: { ok: 2, failed: 1 },
      tokenExchanges: { ok: 2, failed: 0 },
      tokenHandoffs: { ok: 2, failed: 0 },
      errors: [{ stage: 'state-lookup', message: INVALID, count: 1 }],
      latencyMs: { p50: 10, p95: 30, samples: 3 },
    });
  });

  test('an operation that never completed makes the flow incomplete, not passed', () => {
    const history = [op({ type: 'invoke', f: 'start_oauth', process: 'tool#1', flow: 1 })];
    expect(summariseFlows(history).fates).toEqual([expect.objectContaining({ passed: false, failedAt: 'incomplete' })]);
  });
});

describe('expectation checker', () => {
  test('an expected failure matches only at the declared stage with the declared message', () => {
    const checker = expectationChecker({ outcome: 'fail', stage: 'state-lookup', message: INVALID });
    expect(checker(rejectedFlow(1)).valid).toBe(true);
    expect(checker(passingFlow(2, 5)).valid).toBe(false);
    const otherMessage = expectationChecker({ outcome: 'fail', stage: 'state-lookup', message: 'something else' });
    expect(otherMessage(rejectedFlow(3)).valid).toBe(false);
  });

  test('an expected pass fails when any flow fails', () => {
    const verdict = expectationChecker({ outcome: 'pass' })([...passingFlow(1, 5), ...rejectedFlow(2)]);
    expect(verdict.valid).toBe(false);
    expect(verdict.details.observed).toEqual({ outcome: 'fail', stage: 'state-lookup', message: INVALID });
  });

  test('an empty history cannot be judged: unknown, never a pass', () => {
    const verdict = runChecker('expectation', expectationChecker({ outcome: 'pass' }), []);
    expect(verdict).toEqual({ checker: 'expectation', valid: 'unknown', error: 'the history holds no flow: nothing to judge' });
  });
});

test('percentile is nearest-rank and undefined on no data', () => {
  expect(percentile([], 50)).toBeUndefined();
  expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
});
