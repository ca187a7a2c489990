/**
 * `npm run repro -- --target PATH` as a user meets it: a bad target file is
 * one line and exit 64; a target whose processes exit at once is one line and
 * exit 2; neither leaves a process behind.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repro, ROOT } from './test-fixtures/run-repro.ts';

const run = promisify(execFile);
const fixture = (name: string) => `harness/deploy/target/test-fixtures/${name}`;


/** Processes whose command line names this file: what a run could have left behind. */
async function leftovers(marker: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid,args']);
  return stdout.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

// At once: every test's repro process is its own, and most of a run is spent waiting on its processes. The
// leftovers each test looks for are named by a marker no other test's processes carry.
describe.concurrent('repro --target', { timeout: 90_000 }, () => {
  it('a misspelled field: one line naming it, exit 64', async () => {
    const result = await repro(['--target', fixture('misspelled.target.ts'), '--scenarios-only']);
    expect(result.code).toBe(64);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^repro: target .*misspelled\.target\.ts: \(the target\): unknown field\(s\) "callbakPage" \(did you mean "callbackPage"\?\)$/)]);
  });

  it('a target file that does not exist: exit 64', async () => {
    const result = await repro(['--target', 'nowhere.target.ts']);
    expect(result).toMatchObject({ code: 64, stderr: expect.stringContaining('nowhere.target.ts: no such file') });
  });

  it('processes that exit at once: one line, exit 2, nothing left running', async () => {
    const result = await repro(['--target', fixture('exits-at-once.target.ts'), '--scenarios-only']);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('repro: exits at once'));
    expect(lines).toEqual([expect.stringMatching(/could not be started \(3 attempts\): .*exited before it was ready \(code 3.*: no configuration: refusing to start/)]);
    // Its own marker in full: the next test's callbacks say "refusing to start inside a pool" and may be running now.
    expect(await leftovers('no configuration: refusing to start')).toEqual([]);
  });

  it("a measurement whose deployments never start: retried, then the harness's error (not the target's), listed, exit 2", async () => {
    const result = await repro(['--target', fixture('fails-in-pools.target.ts'), '--store', 'memory', '--scenario', 'split-process', '--measurement', 'hostile-input', '--measurement', 'provider-faults', '--measurement', 'security']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/repro: fails in pools: \d+ harness error\(s\) \(the harness's own trouble, not the target's; --max-harness-errors 0\):/);
    expect(result.stderr).toMatch(/- hostile-input × memory \(\d+ rows not run\): not run: split-process: starting memory × split-process \(hostile-provider-security-[^)]*\): failed 3 times .*refusing to start inside a pool/);
    // The cases it could not run are not the target's failures, and the run does not pass itself off as a gate that passed.
    expect(result.stdout).toMatch(/^HARNESS FAILED: 4 harness error\(s\), more than --max-harness-errors 0 allows/m);
    expect(result.stdout).not.toMatch(/GATE (PASSED|FAILED)/);
    const results = JSON.parse(readFileSync(path.join(ROOT, /results, history and logs in (\S+)/.exec(result.stdout)![1]!, 'results.json'), 'utf8'));
    expect(results.gate.verdict.failures).toEqual([]);
    // Hostile input (its own rows and its two redemption rows, which are security's), provider faults, security.
    expect(results.harnessIncidents).toHaveLength(4);
    expect(await leftovers('refusing to start inside a pool')).toEqual([]);
  });
});
