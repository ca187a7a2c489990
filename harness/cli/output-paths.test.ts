/**
 * Every place a run writes, checked before it starts: a bad --junit or
 * GITHUB_STEP_SUMMARY path is one line naming it and what is wrong; a runs
 * folder or compile cache that cannot be written is the harness's folder
 * error; no folder is made outside the project and the runs folder.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessFolderError } from '../deploy/target/harness-folder.ts';
import { checkOutputPaths, OutputPathError, type OutputRoots } from './output-paths.ts';

let scratch: string;
let roots: OutputRoots;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'output-paths-'));
  roots = { project: path.join(scratch, 'project'), runs: path.join(scratch, 'runs'), cache: path.join(scratch, 'runs', '.cache') };
  mkdirSync(roots.project);
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const refusal = (asked: Parameters<typeof checkOutputPaths>[0]) => {
  try {
    checkOutputPaths(asked, roots);
  } catch (error) {
    return error;
  }
  return expect.fail('expected the paths to be refused');
};

describe('--junit', () => {
  it('a path under a regular file: its folder is a file', () => {
    const file = path.join(scratch, 'some-file');
    writeFileSync(file, '');
    const error = refusal({ junit: path.join(file, 'x.xml') });
    expect(error).toBeInstanceOf(OutputPathError);
    expect((error as Error).message).toBe(`--junit ${file}/x.xml: its folder ${file} is a file, not a folder`);
  });

  it('a path deeper under a regular file names the file in the way', () => {
    const file = path.join(scratch, 'some-file');
    writeFileSync(file, '');
    expect((refusal({ junit: path.join(file, 'a', 'x.xml') }) as Error).message).toBe(`--junit ${file}/a/x.xml: its folder ${file}/a cannot be made: ${file} is a file, not a folder`);
  });

  it('a folder that does not exist outside the project and the runs folder is refused, not made', () => {
    const folder = path.join(scratch, 'elsewhere', 'dir');
    expect((refusal({ junit: path.join(folder, 'x.xml') }) as Error).message).toBe(
      `--junit ${folder}/x.xml: its folder ${folder} does not exist (folders are made only inside the project or the runs folder; make it first)`,
    );
    expect(existsSync(path.join(scratch, 'elsewhere'))).toBe(false);
  });

  it('a folder inside the project or the runs folder is made', () => {
    checkOutputPaths({ junit: path.join(roots.project, 'out', 'junit', 'x.xml') }, roots);
    checkOutputPaths({ junit: path.join(roots.runs, 'junit', 'x.xml') }, roots);
    expect(statSync(path.join(roots.project, 'out', 'junit')).isDirectory()).toBe(true);
    expect(statSync(path.join(roots.runs, 'junit')).isDirectory()).toBe(true);
  });

  it('a folder is not a file path', () => {
    expect((refusal({ junit: scratch }) as Error).message).toBe(`--junit ${scratch}: is a folder; expected a file path`);
  });

  it('a device is not replaced by a rename', () => {
    expect((refusal({ junit: '/dev/null' }) as Error).message).toBe('--junit /dev/null: is not a regular file (a character device); the file is replaced whole, so it must be one');
  });

  it('an existing file in an existing folder is fine', () => {
    const file = path.join(scratch, 'x.xml');
    writeFileSync(file, '<old/>');
    expect(() => checkOutputPaths({ junit: file }, roots)).not.toThrow();
  });
});

describe('GITHUB_STEP_SUMMARY', () => {
  it('its folder must exist: it is GitHub that makes it', () => {
    const folder = path.join(roots.project, 'not-made');
    expect((refusal({ stepSummary: path.join(folder, 'summary.md') }) as Error).message).toBe(`GITHUB_STEP_SUMMARY=${folder}/summary.md: its folder ${folder} does not exist`);
    expect(existsSync(folder)).toBe(false);
  });

  it('a folder is not the file', () => {
    expect((refusal({ stepSummary: scratch }) as Error).message).toBe(`GITHUB_STEP_SUMMARY=${scratch}: is a folder; expected a file path`);
  });

  it('an existing file, or one not made yet in an existing folder, is fine', () => {
    const file = path.join(scratch, 'summary.md');
    expect(() => checkOutputPaths({ stepSummary: file }, roots)).not.toThrow();
    writeFileSync(file, '# earlier step\n');
    expect(() => checkOutputPaths({ stepSummary: file }, roots)).not.toThrow();
  });
});

describe("the harness's own folders", () => {
  it('a runs folder that cannot be made is the harness folder error, naming the folder, the errno and OAUTH_REPRO_RUNS_DIR', () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    roots = { ...roots, runs: path.join(file, 'runs') };
    const error = refusal({});
    expect(error).toBeInstanceOf(HarnessFolderError);
    expect((error as Error).message).toBe(`the harness cannot write its runs folder ${file}/runs (ENOTDIR: not a directory); OAUTH_REPRO_RUNS_DIR=<a writable folder> moves the runs and the harness's caches there`);
  });

  it('a file standing where the compile cache should be', () => {
    mkdirSync(roots.runs);
    writeFileSync(roots.cache, '');
    expect((refusal({}) as Error).message).toBe(`the harness cannot write its compile cache ${roots.cache} (it is a file, not a folder); OAUTH_REPRO_RUNS_DIR=<a writable folder> moves the runs and the harness's caches there`);
  });

  it('is checked before a --junit path under it, so a read-only checkout is told as such', () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    roots = { ...roots, runs: path.join(file, 'runs') };
    expect(refusal({ junit: path.join(file, 'runs', 'x.xml') })).toBeInstanceOf(HarnessFolderError);
  });
});
