/** Compiled entry points: runnable from a cache moved out of the project, and a cache that cannot be written said as such. */
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import { compiledEntryPoints } from './compiled-entry-points.ts';
import { HarnessFolderError } from './harness-folder.ts';

const run = promisify(execFile);
const ENTRY = 'harness/deploy/target/test-fixtures/compiled-entry/uses-a-package.ts';
// Packages left in node_modules (no bundleDependenciesExcept): the output must find them from wherever it is written.
const request = { name: 'uses-a-package', sourceDirs: ['harness/deploy/target/test-fixtures/compiled-entry'], entries: [ENTRY] };

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'compiled-entry-points-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('compiledEntryPoints', { timeout: 60_000 }, () => {
  it("a cache outside the project (OAUTH_REPRO_RUNS_DIR) still finds the project's packages", async () => {
    const dir = compiledEntryPoints(PROJECT_ROOT, request, path.join(scratch, '.cache'));
    expect(lstatSync(path.join(dir, 'node_modules')).isSymbolicLink()).toBe(true);
    const { stdout } = await run(process.execPath, [path.join(dir, 'uses-a-package.js')], { timeout: 30_000 });
    expect(stdout).toBe('package found\n');
  });

  it('a cache folder that cannot be made is a HarnessFolderError naming the folder, the errno and the way out', () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    const cache = path.join(file, '.cache');
    const error = (() => {
      try {
        compiledEntryPoints(PROJECT_ROOT, request, cache);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(HarnessFolderError);
    expect((error as HarnessFolderError).message).toBe(`the harness cannot write its compile cache ${cache} (ENOTDIR: not a directory); OAUTH_REPRO_RUNS_DIR=<a writable folder> moves the runs and the harness's caches there`);
  });
});
