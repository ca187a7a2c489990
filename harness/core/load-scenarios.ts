/**
 * Adding a scenario is adding a file to scenarios/: every module there with a
 * default export is one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './run-folder.ts';
import { MODULE_EXTENSION } from './package-layout.ts';
import { scenarioSchema } from './scenario-schema.ts';
import type { Scenario } from './scenario.ts';
import type { ZodType } from 'zod';
import { remoteScenarioSchema } from './remote-scenario-schema.ts';
import type { RemoteScenario } from './remote-scenario.ts';

export const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');
/** Remote scenarios: replicas of a remote server behind a balancer (remote-scenario.ts). */
export const REMOTE_SCENARIOS_DIR = path.join(SCENARIOS_DIR, 'remote');

export function loadScenarios(dir = SCENARIOS_DIR): Promise<Scenario[]> {
  return loadScenarioFiles(dir, scenarioSchema, 'scenarios');
}

export function loadRemoteScenarios(dir = REMOTE_SCENARIOS_DIR): Promise<RemoteScenario[]> {
  return loadScenarioFiles(dir, remoteScenarioSchema, 'scenarios/remote');
}

/** `folder`: how messages name the folder (as the project names it, wherever `dir` is). */
async function loadScenarioFiles<T extends { name: string }>(dir: string, schema: ZodType, folder: string): Promise<T[]> {
  const files = readdirSync(dir)
    // .js in the installed package, where each scenario's declarations (.d.ts) sit beside it.
    .filter((file) => file.endsWith(MODULE_EXTENSION) && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .sort();
  const shown = (file: string) => `${folder}/${file}`;
  const scenarios: T[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: T };
    if (!module.default) throw new Error(`${shown(file)} has no default export`);
    // A scenario is data a person writes: check it, naming the field at fault.
    const parsed = schema.safeParse(module.default);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${shown(file)}: ${issue.path.join('.') || '(the scenario)'}: ${issue.message}`);
    }
    if (module.default.name !== path.basename(file, MODULE_EXTENSION)) {
      throw new Error(`${shown(file)}: name "${module.default.name}" must match the file name`);
    }
    scenarios.push(module.default);
  }
  return scenarios;
}
