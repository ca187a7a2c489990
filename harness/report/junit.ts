/**
 * JUnit XML for CI (`npm run repro -- --junit FILE`): per target, one suite
 * of scenario × store cells, one of the write-up's claims, and one each of
 * security and reliability rows × stores that have an expectation.
 *
 * What fails here is what fails the exit code: a case the chosen --fail-on
 * groups count and that failed is a <failure> (could not be judged: an
 * <error>), with the observed evidence as its text; a failure in a group
 * --fail-on leaves out, a case that could not apply (n/a) and a known
 * failure are <skipped> with the reason. Hand-written: the format is six
 * elements, and an escaping function is all a builder would add.
 */
import type { ClaimRow } from '../measurements/measure-context.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import type { GateCase, GateVerdict } from '../results/gate-verdict.ts';
import type { GateGroup } from '../results/row-expectations.ts';

export interface JunitTarget {
  document: ResultsDocument;
  cases: readonly GateCase[];
  verdict: GateVerdict;
}

/** A target whose processes could not be started: one errored case, so the CI report shows it. */
export interface JunitStartError {
  target: string;
  message: string;
}

/** Characters XML 1.0 cannot carry at all (NUL, most C0 controls, lone surrogates): hostile payloads put them in evidence. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const xmlAttr = (value: string) => xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

const MESSAGE_MAX = 300;
const short = (value: string) => {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_MAX ? `${line.slice(0, MESSAGE_MAX - 1)}…` : line;
};

interface Testcase {
  classname: string;
  name: string;
  seconds: number;
  result?: { kind: 'failure' | 'error' | 'skipped'; message: string; type?: string; text?: string };
  out?: string;
}

function renderCase(testcase: Testcase): string {
  const open = `    <testcase classname="${xmlAttr(testcase.classname)}" name="${xmlAttr(testcase.name)}" time="${testcase.seconds.toFixed(3)}"`;
  const body: string[] = [];
  const r = testcase.result;
  if (r) {
    const attrs = `message="${xmlAttr(short(r.message))}"${r.type ? ` type="${xmlAttr(r.type)}"` : ''}`;
    body.push(r.text ? `      <${r.kind} ${attrs}>${xmlText(r.text)}</${r.kind}>` : `      <${r.kind} ${attrs}/>`);
  }
  if (testcase.out) body.push(`      <system-out>${xmlText(testcase.out)}</system-out>`);
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

interface Suite {
  xml: string;
  counts: { tests: number; failures: number; errors: number; skipped: number };
}

function renderSuite(name: string, timestamp: string, cases: readonly Testcase[]): Suite {
  const count = (kind: string) => cases.filter((c) => c.result?.kind === kind).length;
  const seconds = cases.reduce((sum, c) => sum + c.seconds, 0);
  const counts = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
  const xml = [
    `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds.toFixed(3)}" timestamp="${xmlAttr(timestamp)}">`,
    ...cases.map(renderCase),
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function gateCase(target: string, c: GateCase, failOn: readonly GateGroup[], seconds: number): Testcase {
  const name = `${c.id} × ${c.store}`;
  const classname = `${target}.${c.gateGroup}`;
  const gated = failOn.includes(c.gateGroup);
  const observedLine = `expected ${c.expected}, observed ${c.observed}`;
  const withWhy = (text: string) => (c.why ? `${text}\n\nexpectation: ${c.why}` : text);
  switch (c.status) {
    case 'pass':
      return { classname, name, seconds };
    case 'unexpected-pass':
      return { classname, name, seconds, out: withWhy(`a known failure passed this time: the baseline should say so (--update-baseline)\n${c.evidence}`) };
    case 'n/a':
      return { classname, name, seconds, result: { kind: 'skipped', message: `n/a: ${c.evidence}` } };
    case 'harness-error':
      // The run's trouble, not the target's: an error of the harness, whatever --fail-on says.
      return { classname, name, seconds, result: { kind: 'error', message: `not run: harness error (${c.evidence.split('\n')[0]})`, type: 'harness-error', text: c.evidence } };
    case 'known-failure':
      return { classname, name, seconds, result: { kind: 'skipped', message: c.why ?? 'known failure' }, out: c.evidence };
    case 'fail':
    case 'unknown': {
      const headline = c.status === 'unknown' ? `could not be judged (${observedLine})` : observedLine;
      if (!gated) return { classname, name, seconds, result: { kind: 'skipped', message: `not gated (--fail-on ${failOn.join(',')}): ${headline}` }, out: withWhy(c.evidence) };
      return c.status === 'unknown'
        ? { classname, name, seconds, result: { kind: 'error', message: headline, type: 'unknown', text: withWhy(c.evidence) } }
        : { classname, name, seconds, result: { kind: 'failure', message: `${headline}: ${c.evidence}`, type: c.baseline ? 'baseline-difference' : c.kind === 'scenario' ? 'mismatch' : 'expected-pass-failed', text: withWhy(c.evidence) } };
    }
  }
}

function claimCase(target: string, claim: ClaimRow): Testcase {
  const text = [`verdict: ${claim.verdict}`, `figure: ${claim.figure}`, `measured: ${claim.measured}`, `samples: ${claim.samples}`, ...(claim.conditions ? [`conditions: ${claim.conditions}`] : []), `command: ${claim.command}${claim.quick ? ' (quick)' : ''}`].join('\n');
  const base = { classname: `${target}.claims`, name: `${claim.id}: ${claim.claim}`, seconds: 0 };
  // A claim's verdict is a finding, not a pass or fail of the suite; only a claim nobody could judge is reported apart.
  return claim.verdict === 'unknown' ? { ...base, result: { kind: 'skipped', message: `unknown: ${claim.conditions ?? 'not measured'}` }, out: text } : { ...base, out: text };
}

export function renderJunit(targets: readonly JunitTarget[], startErrors: readonly JunitStartError[] = []): string {
  const suites: Suite[] = [];
  for (const { document, cases, verdict } of targets) {
    const timestamp = document.environment.date;
    const durations = new Map(document.cells.map((cell) => [`${cell.scenario}\u0000${cell.store}`, cell.durationMs / 1000]));
    const of = (group: GateGroup) =>
      cases.filter((c) => c.gateGroup === group).map((c) => gateCase(document.target, c, verdict.failOn, group === 'scenarios' ? (durations.get(`${c.id}\u0000${c.store}`) ?? 0) : 0));
    suites.push(renderSuite(`${document.target}: scenarios`, timestamp, of('scenarios')));
    // Against a verdict baseline the claims are gated like everything else; without one they are findings.
    const claims = of('claims');
    if (claims.length) suites.push(renderSuite(`${document.target}: claims`, timestamp, claims));
    else if (document.claims.length) suites.push(renderSuite(`${document.target}: claims`, timestamp, document.claims.map((claim) => claimCase(document.target, claim))));
    for (const group of ['security', 'reliability', 'grading'] as const) {
      const rows = of(group);
      if (rows.length) suites.push(renderSuite(`${document.target}: ${group}`, timestamp, rows));
    }
  }
  for (const failed of startErrors) {
    suites.push(renderSuite(`${failed.target}: start`, new Date().toISOString(), [{ classname: `${failed.target}.start`, name: 'the target starts', seconds: 0, result: { kind: 'error', message: failed.message, type: 'harness', text: failed.message } }]));
  }
  const total = (key: keyof Suite['counts']) => suites.reduce((sum, suite) => sum + suite.counts[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="oauth-state-repro" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}">`,
    ...suites.map((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
