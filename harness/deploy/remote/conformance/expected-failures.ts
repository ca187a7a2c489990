/**
 * A conformance result held against a baseline of the scenarios a server is
 * known to fail (the suite's own `--expected-failures` idea, kept as data):
 * what passed, what failed as expected, what failed that should not have
 * (a regression), and what passed although the baseline says it fails (a
 * fix; the baseline is stale). An errored scenario (the suite gave no
 * judgement) counts as a failure: a baseline that expects it to fail is
 * satisfied, any other is not, and its detail says it errored.
 */
import type { ConformanceResult, ScenarioResult } from './conformance-results.ts';

export type ExpectedFailures = Readonly<Record<string, 'expected-fail'>>;

export interface BaselineSplit {
  passed: ScenarioResult[];
  failedAsExpected: ScenarioResult[];
  unexpectedFail: ScenarioResult[];
  unexpectedPass: ScenarioResult[];
  /** Baseline entries for scenarios the result does not have (not run, or renamed in a newer suite). */
  notInResult: string[];
}

export function splitByBaseline(result: Pick<ConformanceResult, 'scenarios'>, baseline: ExpectedFailures): BaselineSplit {
  const split: BaselineSplit = { passed: [], failedAsExpected: [], unexpectedFail: [], unexpectedPass: [], notInResult: [] };
  for (const scenario of result.scenarios) {
    const expectedToFail = baseline[scenario.name] === 'expected-fail';
    if (scenario.outcome === 'pass') (expectedToFail ? split.unexpectedPass : split.passed).push(scenario);
    else (expectedToFail ? split.failedAsExpected : split.unexpectedFail).push(scenario);
  }
  const ran = new Set(result.scenarios.map((s) => s.name));
  split.notInResult = Object.keys(baseline).filter((name) => !ran.has(name));
  return split;
}

/** True when the result is as the baseline says: no regression and no stale entry. */
export function matchesBaseline(split: BaselineSplit): boolean {
  return split.unexpectedFail.length === 0 && split.unexpectedPass.length === 0;
}
