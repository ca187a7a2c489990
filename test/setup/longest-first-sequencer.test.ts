import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/core/run-folder.ts';
import { E2E_TEST_FILES } from '../e2e-test-files.ts';
import { LONGEST_FILES } from './longest-first-sequencer.ts';

describe('the files a clone without vitest cache starts first', () => {
  it('each is a test file that exists, named once, and in the e2e project (the unit project is short)', () => {
    for (const file of LONGEST_FILES) expect(existsSync(path.join(PROJECT_ROOT, file)), file).toBe(true);
    expect(new Set(LONGEST_FILES).size).toBe(LONGEST_FILES.length);
    const inE2e = (file: string) => E2E_TEST_FILES.some((entry) => entry === file || (entry.endsWith('/**/*.test.ts') && file.startsWith(entry.slice(0, -'**/*.test.ts'.length))));
    expect(LONGEST_FILES.filter((file) => !inE2e(file))).toEqual([]);
  });
});
