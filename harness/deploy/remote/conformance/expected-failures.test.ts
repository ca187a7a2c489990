/**
 * A baseline of expected failures against a result made from the suite's
 * real output (the example server's checks, test-fixtures/): each kind of
 * scenario lands in its own list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judgeScenario, scenarioOfResultFolder, type ConformanceResult } from './conformance-results.ts';
import { matchesBaseline, splitByBaseline } from './expected-failures.ts';

const RESULTS = fileURLToPath(new URL('./test-fixtures/example-server-results/', import.meta.url));

const result: ConformanceResult = {
  version: '0.1.16',
  url: 'http://127.0.0.1:3100/mcp',
  durationMs: 1000,
  scenarios: [
    ...readdirSync(RESULTS)
      .sort()
      .map((folder) => judgeScenario(scenarioOfResultFolder(folder)!, readFileSync(path.join(RESULTS, folder, 'checks.json'), 'utf8'))),
    { name: 'resources-subscribe', outcome: 'error', detail: 'timed out' },
  ],
};
const names = (list: { name: string }[]) => list.map((s) => s.name).sort();

describe('a result against a baseline', () => {
  it('the example as it is: failures expected, passes passing', () => {
    expect(names(result.scenarios.filter((s) => s.outcome === 'pass'))).toEqual(['dns-rebinding-protection', 'ping', 'server-sse-multiple-streams', 'tools-call-simple-text']);
    const split = splitByBaseline(result, { 'tools-call-image': 'expected-fail', 'server-sse-polling': 'expected-fail', 'resources-subscribe': 'expected-fail' });
    expect(names(split.passed)).toEqual(['dns-rebinding-protection', 'ping', 'server-sse-multiple-streams', 'tools-call-simple-text']);
    expect(names(split.failedAsExpected)).toEqual(['resources-subscribe', 'server-sse-polling', 'tools-call-image']);
    expect(split.unexpectedFail).toEqual([]);
    expect(split.unexpectedPass).toEqual([]);
    expect(split.notInResult).toEqual([]);
    expect(matchesBaseline(split)).toBe(true);
  });

  it('a failure the baseline does not expect is a regression; an errored scenario counts as failed', () => {
    const split = splitByBaseline(result, { 'tools-call-image': 'expected-fail' });
    expect(names(split.unexpectedFail)).toEqual(['resources-subscribe', 'server-sse-polling']);
    expect(split.unexpectedFail.find((s) => s.name === 'resources-subscribe')).toMatchObject({ outcome: 'error', detail: 'timed out' });
    expect(matchesBaseline(split)).toBe(false);
  });

  it('a pass the baseline expects to fail is a stale entry', () => {
    const split = splitByBaseline(result, { ping: 'expected-fail', 'tools-call-image': 'expected-fail', 'server-sse-polling': 'expected-fail', 'resources-subscribe': 'expected-fail' });
    expect(names(split.unexpectedPass)).toEqual(['ping']);
    expect(names(split.passed)).not.toContain('ping');
    expect(matchesBaseline(split)).toBe(false);
  });

  it('baseline entries for scenarios the result lacks are named, and do not change the verdict', () => {
    const split = splitByBaseline(result, { 'tools-call-image': 'expected-fail', 'server-sse-polling': 'expected-fail', 'resources-subscribe': 'expected-fail', 'renamed-scenario': 'expected-fail' });
    expect(split.notInResult).toEqual(['renamed-scenario']);
    expect(matchesBaseline(split)).toBe(true);
  });

  it('every scenario lands in exactly one list', () => {
    const split = splitByBaseline(result, { ping: 'expected-fail', 'tools-call-image': 'expected-fail' });
    const all = [...split.passed, ...split.failedAsExpected, ...split.unexpectedFail, ...split.unexpectedPass];
    expect(names(all)).toEqual(names(result.scenarios));
  });
});
