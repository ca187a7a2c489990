/**
 * Adding a scenario is adding a file to scenarios/: every module there with a
 * default export is one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './run-folder.ts';
import { scenarioSchema } from './scenario-schema.ts';
import type { Scenario } from './scenario.ts';

export const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');

export async function loadScenarios(dir = SCENARIOS_DIR): Promise<Scenario[]> {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Scenario };
    if (!module.default) throw new Error(`scenarios/${file} has no default export`);
    // A scenario is data a person writes: check it, naming the field at fault.
    const parsed = scenarioSchema.safeParse(module.default);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`scenarios/${file}: ${issue.path.join('.') || '(the scenario)'}: ${issue.message}`);
    }
    if (module.default.name !== path.basename(file, '.ts')) {
      throw new Error(`scenarios/${file}: name "${module.default.name}" must match the file name`);
    }
    scenarios.push(module.default);
  }
  return scenarios;
}
