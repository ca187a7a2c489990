/**
 * The CI gate's contract: a reliability or security row that fails where a
 * pass is expected fails the gate (exit 1), as a mismatched scenario cell
 * does; --fail-on narrows what counts; n/a never counts either way.
 */
import { describe, expect, test } from 'vitest';
import { EXIT, targetExitCode, worstExitCode } from '../cli/exit-code.ts';
import { gateLine, judgeRun } from './gate-verdict.ts';
import { GATE_GROUPS } from './row-expectations.ts';
import { cell, gateDocument, PROFILES, rows, withOutcome } from './test-fixtures/gate-document.ts';

const ALL = [...GATE_GROUPS];
/** sealed-state's double use, accepted with its reason (as a verdict baseline would carry it). */
const KNOWN = [{ row: 'forced-double-use', store: 'sealed-state', why: 'the session travels sealed inside the state and nothing records its use' }];

describe('the gate', () => {
  test('the fixture run passes: every cell matched, every expected pass passed, known failures failed', () => {
    const { verdict, cases } = judgeRun(gateDocument(), PROFILES, ALL, KNOWN);
    expect(verdict).toMatchObject({ passed: true, failures: [], unexpectedPasses: [], notGated: [] });
    expect(cases.find((c) => c.id === 'forced-double-use' && c.store === 'sealed-state')?.status).toBe('known-failure');
    expect(targetExitCode(0, verdict)).toBe(EXIT.matched);
  });

  test('broken on purpose: a callback that echoes the state fails a hostile row for one store: gate fails, exit 1, with the evidence', () => {
    const document = gateDocument({ reliability: withOutcome(rows(), 'hostile/400-invalid-state/state-script', 'atomic-file', 'fail', 'answered 200 and echoed <script>alert(1)</script> unescaped') });
    expect(document.verdict.allMatched).toBe(true); // what the old exit code looked at: it would have said 0
    const { verdict } = judgeRun(document, PROFILES, ALL, KNOWN);
    expect(verdict.passed).toBe(false);
    expect(verdict.failures).toEqual([
      expect.objectContaining({ gateGroup: 'security', id: 'hostile/400-invalid-state/state-script', store: 'atomic-file', status: 'fail', evidence: expect.stringContaining('echoed <script>') }),
    ]);
    expect(targetExitCode(0, verdict)).toBe(EXIT.mismatch);
    expect(gateLine(verdict)).toMatch(/^GATE FAILED: 1 of \d+ cases .*hostile\/400-invalid-state\/state-script × atomic-file \(observed fail\)/);
  });

  test('--fail-on chooses: the same failure is not counted under --fail-on scenarios,reliability, and is shown as not gated', () => {
    const document = gateDocument({ reliability: withOutcome(rows(), 'security/session-file-mode', 'atomic-file', 'fail', '0644') });
    const { verdict } = judgeRun(document, PROFILES, ['scenarios', 'reliability'], KNOWN);
    expect(verdict.passed).toBe(true);
    expect(verdict.notGated.map((c) => `${c.id} × ${c.store}`)).toEqual(['security/session-file-mode × atomic-file']);
    expect(targetExitCode(0, verdict)).toBe(EXIT.matched);
    expect(judgeRun(document, PROFILES, ['security'], KNOWN).verdict.passed).toBe(false);
  });

  test('a row that could not be judged where a pass is expected fails the gate; n/a does not count', () => {
    const unknown = judgeRun(gateDocument({ reliability: withOutcome(rows(), 'forced-double-use', 'atomic-file', 'unknown', 'the gate timed out') }), PROFILES, ALL, KNOWN).verdict;
    expect(unknown.failures.map((c) => c.status)).toEqual(['unknown']);
    const na = judgeRun(gateDocument({ reliability: withOutcome(rows(), 'forced-double-use', 'atomic-file', 'n/a', 'no file') }), PROFILES, ALL, KNOWN).verdict;
    expect(na.passed).toBe(true);
  });

  test("the write-up's designs failing faults and security rows is expected: json-file's failures do not fail the gate", () => {
    const { verdict, cases } = judgeRun(gateDocument(), PROFILES, ALL, KNOWN);
    expect(verdict.passed).toBe(true);
    expect(cases.some((c) => c.store === 'json-file' && c.id === 'security/session-file-mode')).toBe(false);
  });

  test('a known failure that passes is reported as fixed, never gated', () => {
    const { verdict } = judgeRun(gateDocument({ reliability: withOutcome(rows(), 'forced-double-use', 'sealed-state', 'pass', 'one lookup succeeded') }), PROFILES, ALL, KNOWN);
    expect(verdict.passed).toBe(true);
    expect(verdict.unexpectedPasses.map((c) => `${c.id} × ${c.store}`)).toEqual(['forced-double-use × sealed-state']);
    expect(gateLine(verdict)).toMatch(/1 known failure\(s\) now pass .*the baseline should say so/);
  });

  test('a scenario cell that did not match fails the scenarios group with its evidence; --fail-on security ignores it', () => {
    const cells = gateDocument().cells.map((c) => (c.scenario === 'split-process' && c.store === 'json-file' ? cell('split-process', 'json-file', { matched: false, observed: { outcome: 'fail', stage: 'state-lookup', message: 'Invalid or expired OAuth state parameter.' } }) : c));
    const document = gateDocument({ cells });
    const all = judgeRun(document, PROFILES, ALL, KNOWN).verdict;
    expect(all.failures).toEqual([expect.objectContaining({ gateGroup: 'scenarios', id: 'split-process', store: 'json-file', expected: 'pass', observed: 'fail at state-lookup', evidence: expect.stringContaining('pid 101') })]);
    expect(judgeRun(document, PROFILES, ['security'], KNOWN).verdict.passed).toBe(true);
  });

  test('a harness failure outranks the gate; the worst target decides', () => {
    const { verdict } = judgeRun(gateDocument(), PROFILES, ALL, KNOWN);
    expect(targetExitCode(1, verdict)).toBe(EXIT.harnessFailed);
    expect(targetExitCode(1, verdict, 1)).toBe(EXIT.matched);
    expect(targetExitCode(2, { passed: false }, 5)).toBe(EXIT.mismatch);
    expect(worstExitCode([EXIT.matched, EXIT.mismatch])).toBe(EXIT.mismatch);
    expect(worstExitCode([EXIT.mismatch, EXIT.harnessFailed])).toBe(EXIT.harnessFailed);
    expect(worstExitCode([])).toBe(EXIT.usage);
  });
});
