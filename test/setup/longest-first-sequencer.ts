/**
 * The order `npm test` hands files to its two workers: the longest first, so
 * that the last file to finish is a short one and neither worker idles while
 * the other ends a long file. vitest's own sequencer does that from the
 * durations its cache kept of the last run (node_modules/.vite); a clone
 * without that cache, as CI's is, got files by size instead, which started
 * the longest ones late (of the 54 e2e files, the run under load 16th, the
 * verdict-baseline runs 22nd, the scenario table 46th). Without a duration for every
 * file, the files named below go first, in this order, and the rest follow
 * in vitest's order (a stale list costs only wall time: a long file started
 * late ends the run alone on one worker).
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest e2e files, longest first: a whole `npm test`'s order on a quiet
 * machine, each taking 10 s or more with the other worker busy. To refresh it
 * after a run, read vitest's cache of durations (node_modules/.vite/vitest/
 * <hash>/results.json, each file's `duration` in ms).
 */
export const LONGEST_FILES: readonly string[] = [
  // src/ on GitHub and on Google, each with its whole battery against its baseline: ~115 s.
  'test/e2e/provider-batteries.test.ts',
  // every remote scenario × store, with replicas, haproxy and the rolling restarts: ~80 s.
  'test/e2e/remote-scenarios.test.ts',
  // two installs of the conformance suite at once from the registry: ~70 s.
  'harness/deploy/remote/conformance/run-conformance.test.ts',
  // npm pack's compile, an npm install, init and the scenario table through the installed package: ~65 s.
  'test/e2e/installed-package.test.ts',
  'test/e2e/under-load.test.ts',
  'test/e2e/python-target.test.ts',
  'test/e2e/fixture-targets.test.ts',
  'test/e2e/browser.test.ts',
  'harness/cli/repro-baseline.test.ts',
  'test/e2e/race-under-tmp.test.ts',
  'harness/measurements/store-faults/broken-files.test.ts',
  'test/e2e/scenarios.test.ts',
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
