/**
 * Where a target's verdict baseline lives: beside its target file, named
 * after it (`repro.target.ts` → `repro.target.baseline.yaml`; the bench's
 * `repro.target.bench.baseline.yaml`, since its verdicts may differ), so
 * it is committed with the target file and reviewed with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeOutputAtomic } from '../core/atomic-output.ts';
import { baselineFromYaml, baselineToYaml } from '../results/baseline-yaml.ts';
import type { VerdictBaseline } from '../results/verdict-baseline.ts';

export function baselinePathFor(targetFile: string, run: VerdictBaseline['run']): string {
  const base = path.basename(targetFile).replace(/\.(c|m)?(t|j)s$/, '');
  return path.join(path.dirname(targetFile), `${base}${run === 'bench' ? '.bench' : ''}.baseline.yaml`);
}

/** The baseline, or undefined when the target has none yet; a file that cannot be read as one throws BaselineFileError. */
export function readBaseline(file: string): VerdictBaseline | undefined {
  if (!existsSync(file)) return undefined;
  return baselineFromYaml(readFileSync(file, 'utf8'), file);
}

export async function writeBaseline(file: string, baseline: VerdictBaseline): Promise<void> {
  await writeOutputAtomic(file, baselineToYaml(baseline));
}
