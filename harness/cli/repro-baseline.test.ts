/**
 * The verdict baseline through `npm run repro`, as a user meets it: a first
 * run with no baseline opens with the diagnosis of the default store and
 * fails when it loses the state; --update-baseline writes the file beside
 * the target file and the next run passes; a baseline that says otherwise
 * fails the run with the difference named on the terminal and in the JUnit
 * file. The target is src/'s, re-exported from a file in a folder of its
 * own, so its baseline is written there and not beside src/'s.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { runsRoot } from '../core/run-folder.ts';
import { repro, ROOT } from './test-fixtures/run-repro.ts';

/** Takes the test's own onTestFinished: the tests run at once, and the global one would have to guess which test is meant. */
function targetInAFolderOfItsOwn(onTestFinished: TestContext['onTestFinished']): { file: string; baseline: string } {
  mkdirSync(runsRoot(), { recursive: true });
  const dir = mkdtempSync(path.join(runsRoot(), 'baseline-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'their.target.ts');
  writeFileSync(file, `import base from ${JSON.stringify(path.join(ROOT, 'src/repro.target.ts'))};\nexport default { ...base, cwd: ${JSON.stringify(ROOT)} };\n`);
  return { file, baseline: path.join(dir, 'their.target.baseline.yaml') };
}

// The three at once: each runs in a folder of its own, and most of a run is spent waiting on its processes.
describe.concurrent('repro and the verdict baseline', { timeout: 120_000 }, () => {
  it('no baseline: the diagnosis first, exit 1 when the default store loses the state; --update-baseline accepts it; then exit 0; a baseline that says otherwise: exit 1, the difference named', async ({ onTestFinished }) => {
    const { file, baseline } = targetInAFolderOfItsOwn(onTestFinished);
    const args = ['--target', file, '--scenario', 'isolated', '--store', 'atomic-file'];

    const first = await repro(args);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/^Diagnosis \(no baseline yet, .*their\.target\.baseline\.yaml\): your server's default store \(atomic-file\) loses the state in isolated: users would see "Token exchange failed: Invalid or expired OAuth state parameter\. Please restart the authentication flow\."/m);
    expect(first.stdout).toMatch(/^GATE FAILED: 1 of 1 cases/m);

    const accepted = await repro([...args, '--update-baseline']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^Baseline written: .*their\.target\.baseline\.yaml \(only what this filtered run covered was replaced\)/m);
    expect(readFileSync(baseline, 'utf8')).toMatch(/isolated:\n {4}atomic-file:\n {6}outcome: fail at state-lookup\n {6}why: .*one-host store/);

    const again = await repro(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Every verdict as in .*their\.target\.baseline\.yaml/m);

    // The baseline says the store passes isolated: the run differs, and says so.
    writeFileSync(baseline, readFileSync(baseline, 'utf8').replace(/ {4}atomic-file:\n {6}outcome: fail at state-lookup\n {6}why: .*\n/, '    atomic-file: pass\n'));
    const junit = path.join(path.dirname(file), 'out.xml');
    const differs = await repro([...args, '--junit', junit]);
    expect(differs.code, differs.stderr).toBe(1);
    expect(differs.stdout).toMatch(/^ {2}isolated × atomic-file: baseline pass, this run fail at state-lookup — /m);
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="expected pass, observed fail at state-lookup: cell isolated × atomic-file: the baseline says pass, this run fail at state-lookup[^"]*" type="baseline-difference"/);
  });

  it("a target with only the other run's baseline is not new: judged against its stores' expectations, no diagnosis, the missing file named", async ({ onTestFinished }) => {
    const { file, baseline } = targetInAFolderOfItsOwn(onTestFinished);
    // Only a bench baseline: a quick run has none of its own (the bench's verdicts may differ, so it is not used).
    writeFileSync(baseline.replace(/\.baseline\.yaml$/, '.bench.baseline.yaml'), 'version: 1\ntarget: x\nrun: bench\n');
    const result = await repro(['--target', file, '--scenario', 'isolated', '--store', 'atomic-file']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/^Diagnosis/m);
    expect(result.stdout).toMatch(/^No quick baseline for .* yet \(.*their\.target\.baseline\.yaml; .*their\.target\.bench\.baseline\.yaml is the other run's/m);
  });

  it('a baseline that is not one: exit 64 naming the file and the field', async ({ onTestFinished }) => {
    const { file, baseline } = targetInAFolderOfItsOwn(onTestFinished);
    writeFileSync(baseline, 'version: 1\ntarget: x\nrun: quick\nclaims:\n  C6: [holds]\n');
    const result = await repro(['--target', file, '--scenario', 'split-process', '--store', 'memory']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/their\.target\.baseline\.yaml: claims\.C6: /);
  });
});
