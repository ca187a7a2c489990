import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { WriteGate } from './write-gate.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'write-gate-pauses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Regression: a marker being written aside as "paused-<pid>-<n>.writing" was listed as pause NaN;
// the harness released "release-<pid>-NaN", and the real pause waited out its 20 s timeout.
test('pauses are exactly the paused-<pid>-<n> files of that pid, in order of n', () => {
  const gate = new WriteGate(dir);
  for (const name of ['paused-5-1', 'paused-5-10', 'paused-5-2.writing', 'writing-5-3', 'paused-55-1', 'release-5-1', 'arm-5']) writeFileSync(path.join(dir, name), '{}');
  expect(gate.pauses(5)).toEqual([
    { pid: 5, n: 1 },
    { pid: 5, n: 10 },
  ]);
  expect(gate.held(5)).toEqual([{ pid: 5, n: 10 }]);
});
