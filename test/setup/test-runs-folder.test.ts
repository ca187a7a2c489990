/**
 * `npm test` used to leave the user's runs/latest gone: test files made run
 * folders in runs/ and moved `latest` to them (or removed it). They now go
 * to a runs folder of their own, which vitest.config.ts gives every worker.
 */
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { closeRunFolder, createRunFolder, PROJECT_ROOT, runsRoot } from '../../harness/core/run-folder.ts';

const userLatest = path.join(PROJECT_ROOT, 'runs', 'latest');
const readLatest = () => {
  try {
    return readlinkSync(userLatest);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

test('a test\'s run folder goes to the tests\' runs folder, and the user\'s runs/latest stays as it was', () => {
  const before = readLatest();
  // testRunsRoot() of the user's environment, as vitest.config.ts computed it: `test` inside the user's runs root.
  expect(path.basename(runsRoot())).toBe('test');
  expect(runsRoot()).not.toBe(path.join(PROJECT_ROOT, 'runs'));
  const run = createRunFolder(undefined, 'setup-check');
  try {
    expect(path.dirname(run.dir)).toBe(runsRoot());
    expect(readlinkSync(path.join(runsRoot(), 'latest'))).toBe(run.id);
    expect(readLatest()).toEqual(before);
  } finally {
    closeRunFolder(run);
  }
});
