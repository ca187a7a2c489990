/** The JUnit file read back with a real XML parser, the way a CI system reads it. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { judgeGate, judgeRun } from '../results/gate-verdict.ts';
import { baselineOf, compareWithBaseline } from '../results/verdict-baseline.ts';
import { GATE_GROUPS } from '../results/row-expectations.ts';
import { gateDocument, PROFILES, rows, withOutcome } from '../results/test-fixtures/gate-document.ts';
import { renderJunit } from './junit.ts';

/** sealed-state's double use, accepted with its reason (as a verdict baseline carries it). */
const KNOWN = [{ row: 'forced-double-use', store: 'sealed-state', why: 'the session travels sealed inside the state and nothing records its use' }];

interface Case {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '#text'?: string };
  error?: { '@_message': string; '#text'?: string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: Case[];
}

function parse(xml: string): { root: Record<string, string>; suites: Suite[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase', parseTagValue: false, parseAttributeValue: false, processEntities: true }).parse(xml);
  return { root: parsed.testsuites, suites: parsed.testsuites.testsuite };
}

const failOnAll = [...GATE_GROUPS];

function junitFor(reliability = rows(), failOn = failOnAll) {
  const document = gateDocument({ reliability });
  const { cases, verdict } = judgeRun(document, PROFILES, failOn, KNOWN);
  return parse(renderJunit([{ document, cases, verdict }]));
}

describe('JUnit XML', () => {
  test('one testcase per scenario × store, per claim, and per row × store with an expectation', () => {
    const { suites, root } = junitFor();
    expect(suites.map((s) => s['@_name'])).toEqual(['src (test): scenarios', 'src (test): claims', 'src (test): security', 'src (test): reliability']);
    const [scenarios, claims, security, reliability] = suites;
    expect(scenarios!.testcase.map((c) => c['@_name'])).toContain('split-process × memory');
    expect(scenarios!.testcase).toHaveLength(8);
    expect(scenarios!.testcase[0]!['@_time']).toBe('3.200');
    expect(claims!.testcase.map((c) => c['@_name'])).toEqual(['C1: static memory cannot share sessions between processes', 'C6: 15min TTL']);
    expect(claims!.testcase[0]!['system-out']).toMatch(/^verdict: holds\nfigure: 0 of 5 flows/);
    expect(claims!.testcase[1]!.skipped?.['@_message']).toBe('unknown: the target is not a Node process');
    // hostile: 4 stores; session-file-mode: atomic-file and sealed-state only (the write-up designs have no expectation)
    expect(security!.testcase.map((c) => c['@_name'])).toEqual([
      'hostile/400-invalid-state/state-script × memory',
      'hostile/400-invalid-state/state-script × json-file',
      'hostile/400-invalid-state/state-script × atomic-file',
      'hostile/400-invalid-state/state-script × sealed-state',
      'security/session-file-mode × atomic-file',
      'security/session-file-mode × sealed-state',
    ]);
    expect(security!.testcase[5]!.skipped?.['@_message']).toBe('n/a: no file: the session travels in the state');
    const known = reliability!.testcase.find((c) => c['@_name'] === 'forced-double-use × sealed-state')!;
    expect(known.skipped?.['@_message']).toMatch(/^known failure: the session travels sealed/);
    expect(root['@_failures']).toBe('0');
    expect(root['@_errors']).toBe('0');
    expect(Number(root['@_tests'])).toBe(suites.reduce((sum, s) => sum + s.testcase.length, 0));
  });

  test('a failure carries the observed evidence, and characters XML cannot hold are escaped, not dropped', () => {
    const evidence = 'answered 200; page echoed <script>alert("x")</script> & the raw state "\u0000\u001d\u0007" unescaped';
    const { suites, root } = junitFor(withOutcome(rows(), 'hostile/400-invalid-state/state-script', 'json-file', 'fail', evidence));
    const failed = suites[2]!.testcase.find((c) => c['@_name'] === 'hostile/400-invalid-state/state-script × json-file')!;
    expect(failed.failure?.['@_message']).toMatch(/^expected pass, observed fail: answered 200; page echoed <script>alert\("x"\)<\/script> & the raw state/);
    expect(failed.failure?.['#text']).toContain('page echoed <script>alert("x")</script> & the raw state "\\u0000\\u001d\\u0007" unescaped');
    expect(failed.failure?.['#text']).toContain('expectation: the callback page does not depend on the store');
    expect(root['@_failures']).toBe('1');
    expect(suites[2]!['@_failures']).toBe('1');
  });

  test('could not be judged is an error; a failure outside --fail-on is skipped with what happened', () => {
    const broken = withOutcome(withOutcome(rows(), 'forced-double-use', 'atomic-file', 'unknown', 'the write gate never opened'), 'security/session-file-mode', 'atomic-file', 'fail', '0644');
    const { suites } = junitFor(broken, ['scenarios', 'reliability']);
    const reliability = suites.find((s) => s['@_name'].endsWith('reliability'))!;
    expect(reliability.testcase.find((c) => c['@_name'] === 'forced-double-use × atomic-file')!.error).toMatchObject({ '@_message': 'could not be judged (expected pass, observed unknown)', '#text': expect.stringContaining('the write gate never opened') });
    const security = suites.find((s) => s['@_name'].endsWith('security'))!;
    expect(security.testcase.find((c) => c['@_name'] === 'security/session-file-mode × atomic-file')!.skipped?.['@_message']).toBe('not gated (--fail-on scenarios,reliability): expected pass, observed fail');
    expect(security['@_failures']).toBe('0');
  });

  test('a target that could not start is one errored case', () => {
    const { suites } = parse(renderJunit([], [{ target: 'exits at once', message: 'the tool process exited before it was ready (code 3)' }]));
    expect(suites).toHaveLength(1);
    expect(suites[0]!.testcase[0]!.error?.['@_message']).toBe('the tool process exited before it was ready (code 3)');
  });
});

describe('against a verdict baseline', () => {
  test('a claim that turned is a failure of type baseline-difference in a gated claims suite, naming both sides', () => {
    const document = gateDocument();
    document.claims = [{ id: 'C6', claim: '"15min TTL"', measured: '', figure: '14:59 refused', samples: '9', verdict: 'does not hold', command: 'npm run repro', quick: true }];
    const baseline = baselineOf({ ...document, claims: [{ ...document.claims[0]!, verdict: 'holds' }] }, 'quick');
    const scope = { complete: false, scenarios: [], stores: [], measurementsRan: [], allMeasurementsRan: true };
    const { cases } = compareWithBaseline(baseline, document, scope);
    const verdict = judgeGate(cases, failOnAll);
    const { suites } = parse(renderJunit([{ document, cases, verdict }]));
    const claims = suites.find((s) => s['@_name'].endsWith(': claims'))!;
    const c6 = claims.testcase.find((c) => c['@_name'] === 'C6 × –')!;
    expect(c6.failure?.['@_message']).toMatch(/^expected holds, observed does not hold: claim C6: the baseline says holds, this run does not hold/);
    expect((c6.failure as { '@_type'?: string })['@_type']).toBe('baseline-difference');
  });
});
