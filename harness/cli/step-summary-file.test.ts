/** The step summary is appended to by replacing the file whole: what it had stays, the new markdown follows. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendStepSummary } from './step-summary-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'step-summary-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appendStepSummary', () => {
  it('keeps what earlier steps wrote and adds the new markdown after it', async () => {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, '# earlier step\n');
    await appendStepSummary(file, '### this run\n');
    await appendStepSummary(file, '### the next target\n');
    expect(readFileSync(file, 'utf8')).toBe('# earlier step\n### this run\n### the next target\n');
  });

  it('replaces the file by a rename (a new inode), never writes into the one a reader may hold half-done', async () => {
    const file = path.join(dir, 'summary.md');
    writeFileSync(file, '# earlier step\n');
    const before = statSync(file).ino;
    await appendStepSummary(file, '### this run\n');
    expect(statSync(file).ino).not.toBe(before);
  });

  it('starts the file when GitHub has not made it yet, and leaves no temporary file beside it', async () => {
    const file = path.join(dir, 'summary.md');
    await appendStepSummary(file, '### this run\n');
    expect(readFileSync(file, 'utf8')).toBe('### this run\n');
    expect(readdirSync(dir)).toEqual(['summary.md']);
  });
});
