/**
 * The registry's boundary: grading, the report and the engine read a
 * measurement only through what its check published (published values,
 * columns, rows, claims), never through what its run recorded, and never
 * look a measurement up by its id to do so. Adding a measurement is then its
 * folder plus one line in the list, with nothing to teach the readers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { MEASUREMENTS } from './measurement-list.ts';

const READERS = ['harness/grading', 'harness/report', 'harness/engine'];

function sources(folder: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes(`${path.sep}test-fixtures${path.sep}`));
}

describe('the measurement registry boundary', () => {
  const files = READERS.flatMap(sources);

  it('finds the readers it guards', () => {
    expect(files).toContain('harness/grading/grade-stores.ts');
    expect(files).toContain('harness/report/render-grading.ts');
  });

  it("no reader touches a record's raw data", () => {
    const offenders = files.filter((file) => /\.raw\b|\braw\s+as\b/.test(readFileSync(path.join(PROJECT_ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no reader looks a measurement up by its id', () => {
    const ids = MEASUREMENTS.map((m) => m.id);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      return ids.filter((id) => new RegExp(`\\.id === '${id}'|id: '${id}'`).test(text)).map((id) => `${file}: ${id}`);
    });
    expect(offenders).toEqual([]);
  });
});
