/**
 * `npm run repro -- --junit FILE` through real processes, as a CI job runs
 * it: the file a JUnit parser accepts, the step summary appended to
 * $GITHUB_STEP_SUMMARY, the gate in results.json, and exit 0.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { repro, ROOT } from './test-fixtures/run-repro.ts';

const run = promisify(execFile);


// At once: the two repro processes share nothing.
describe.concurrent('repro --junit', { timeout: 90_000 }, () => {
  it('writes JUnit XML a parser accepts, appends the step summary, keeps the gate in results.json, exits 0', async ({ onTestFinished }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-junit-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    // Outside the project and the runs folder the harness makes no folder: the job makes it, as CI steps do.
    mkdirSync(path.join(dir, 'nested'));
    const junit = path.join(dir, 'nested', 'out.xml');
    const result = await repro(['--scenario', 'split-process', '--store', 'memory', '--store', 'atomic-file', '--junit', junit, '--fail-on', 'all'], { GITHUB_STEP_SUMMARY: summary });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^GATE PASSED: 2 cases checked/m);

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, parseAttributeValue: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml);
    const cases = parsed.testsuites.testsuite.flatMap((suite: { testcase: { '@_name': string }[] }) => suite.testcase.map((c) => c['@_name']));
    expect(cases).toEqual(['split-process × memory', 'split-process × atomic-file']);
    expect(parsed.testsuites['@_failures']).toBe('0');

    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('# earlier step\n### oauth-state-repro: ')).toBe(true);
    expect(markdown).toContain('| split-process | ✅ fail at state-lookup | ✅ pass |');

    const runDir = /results, history and logs in (\S+)/.exec(result.stdout)![1]!;
    const document = JSON.parse(readFileSync(path.join(ROOT, runDir, 'results.json'), 'utf8'));
    expect(document.gate.verdict).toMatchObject({ passed: true, failOn: ['scenarios', 'claims', 'security', 'reliability', 'grading'], checked: 2 });
    expect(document.gate.expectations).toEqual([]);
  });

  it('a --fail-on group that does not exist: exit 64 naming the groups', async () => {
    const result = await repro(['--fail-on', 'hostile', '--scenarios-only']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--fail-on expects scenarios, claims, security, reliability, grading, all (comma-separated or repeated), got "hostile"');
  });
});
