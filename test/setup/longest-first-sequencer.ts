/**
 * The order `npm test` hands files to its two workers: the longest first, so
 * that the last file to finish is a short one and neither worker idles while
 * the other ends a long file. vitest's own sequencer does that from the
 * durations its cache kept of the last run (node_modules/.vite); a clone
 * without that cache, as CI's is, got files by size instead, which started
 * the longest ones late (of the 54 e2e files, the run under load 16th, the
 * verdict-baseline runs 22nd, the scenario table 46th). Without a duration for every
 * file, the files named below go first, in this order, and the rest follow
 * in vitest's order.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest e2e files, longest first (a quiet run's order; each takes 10 s or more with the other worker busy). */
export const LONGEST_FILES: readonly string[] = [
  'test/e2e/under-load.test.ts',
  // npm pack's compile, an npm install, init and the scenario table through the installed package: ~100 s.
  'test/e2e/installed-package.test.ts',
  'harness/cli/repro-baseline.test.ts',
  'test/e2e/fixture-targets.test.ts',
  'test/e2e/browser.test.ts',
  'harness/measurements/store-faults/broken-files.test.ts',
  'harness/cli/repro-targets.test.ts',
  'test/e2e/scenarios.test.ts',
  'test/e2e/race-under-tmp.test.ts',
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const relative = (file: TestSpecification) => path.relative(this.ctx.config.root, file.moduleId).split(path.sep).join('/');
    if (sorted.every((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(file)}`))) return sorted;
    // Projects stay in vitest's order (e2e, then unit); within one, the named files first.
    const projects = [...new Set(sorted.map((file) => file.project.name))];
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FILES.indexOf(relative(file));
      return at === -1 ? LONGEST_FILES.length : at;
    };
    const position = new Map(sorted.map((file, i) => [file, i]));
    return [...sorted].sort(
      (a, b) => projects.indexOf(a.project.name) - projects.indexOf(b.project.name) || rank(a) - rank(b) || position.get(a)! - position.get(b)!,
    );
  }
}
