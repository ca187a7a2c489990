import { describe, expect, test } from 'vitest';
import { judgeRun } from '../results/gate-verdict.ts';
import { GATE_GROUPS } from '../results/row-expectations.ts';
import { gateDocument, PROFILES, rows, withOutcome } from '../results/test-fixtures/gate-document.ts';
import { renderStepSummary } from './step-summary.ts';

/** sealed-state's double use, accepted with its reason (as a verdict baseline carries it). */
const KNOWN = [{ row: 'forced-double-use', store: 'sealed-state', why: 'the session travels sealed inside the state and nothing records its use' }];

function summary(reliability = rows()) {
  const document = gateDocument({ reliability });
  const { cases, verdict } = judgeRun(document, PROFILES, [...GATE_GROUPS], KNOWN);
  return renderStepSummary(document, cases, verdict).split('\n');
}

describe('GitHub step summary', () => {
  test('verdict line, one table row per scenario with a column per store, claims one line each', () => {
    const lines = summary();
    expect(lines[0]).toBe('### oauth-state-repro: src (test)');
    expect(lines[2]).toMatch(/^\*\*✅ GATE PASSED: \d+ cases checked/);
    expect(lines).toContain('| scenario | memory | json-file | atomic-file | sealed-state |');
    expect(lines).toContain('| split-process | ✅ fail at state-lookup | ✅ pass | ✅ pass | ✅ pass |');
    expect(lines).toContain('- **C1** holds: 0 of 5 flows found their state');
    expect(lines.some((l) => l.startsWith('What failed'))).toBe(false);
  });

  test('a failed gate lists what failed, with pipes in evidence escaped', () => {
    const lines = summary(withOutcome(rows(), 'hostile/400-invalid-state/state-script', 'atomic-file', 'fail', 'echoed a|b\nunescaped'));
    expect(lines[2]).toMatch(/^\*\*❌ GATE FAILED: 1 of/);
    expect(lines).toContain('- `hostile/400-invalid-state/state-script × atomic-file` (security): echoed a\\|b unescaped');
  });
});
