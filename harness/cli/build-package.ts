/**
 * `npm pack`'s build (scripts.prepack): the harness as JavaScript in dist/,
 * so an installed package compiles none of its own TypeScript at a user's
 * run. tsc emits every module beside where it was (imports rewritten to
 * .js), so each `new URL('./x', import.meta.url)` still finds its file; the
 * files tsc does not emit (preloads and helpers written as .mjs, the hostile
 * payloads) are copied; the processes a run starts hundreds of times (the
 * mock, the factory launcher, the store driver) are bundled once into
 * dist/prebuilt/, as a checkout bundles them into its cache at first use.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { compiledEntryPoints, type CompileRequest } from '../deploy/target/compiled-entry-points.ts';
import { MOCK_BUILD } from '../deploy/services/mock-atlassian.ts';
import { LAUNCHER_BUILD } from '../deploy/launch/factory-command.ts';
import { STORE_DRIVER_BUILD } from '../measurements/store-faults/run-driver.ts';

const DIST = path.join(PROJECT_ROOT, 'dist');
const PREBUILT: readonly CompileRequest[] = [MOCK_BUILD, LAUNCHER_BUILD, STORE_DRIVER_BUILD];
/** Folders whose non-TypeScript files run or are read at run time. */
const COPIED_FOLDERS = ['harness', 'fixtures/hostile-payloads'];
const COPIED = /\.(?:mjs|d\.mts|cases)$/;

function tsc(project: string): void {
  const tscBin = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tscBin, '-p', project], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p ${project} failed (exit ${result.status})`);
}

function copyRunTimeFiles(dir: string): void {
  for (const entry of readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-fixtures' && entry.name !== 'node_modules') copyRunTimeFiles(relative);
    } else if (COPIED.test(entry.name)) {
      mkdirSync(path.join(DIST, dir), { recursive: true });
      cpSync(path.join(PROJECT_ROOT, relative), path.join(DIST, relative));
    }
  }
}

function prebuild(request: CompileRequest, cache: string): void {
  // A cache inside the project: the bundles' external packages are found from dist/ up to the package's node_modules, with no link of their own.
  const built = compiledEntryPoints(PROJECT_ROOT, request, cache);
  const into = path.join(DIST, 'prebuilt', request.name);
  mkdirSync(path.dirname(into), { recursive: true });
  renameSync(built, into);
}

rmSync(DIST, { recursive: true, force: true });
tsc('tsconfig.package.json');
tsc('tsconfig.package-types.json');
for (const dir of COPIED_FOLDERS) copyRunTimeFiles(dir);
const cache = path.join(DIST, '.prebuild-cache');
for (const request of PREBUILT) prebuild(request, cache);
rmSync(cache, { recursive: true, force: true });
if (!existsSync(path.join(DIST, 'harness', 'cli', 'package-bin.js'))) throw new Error('dist/harness/cli/package-bin.js was not built');
process.stdout.write(`build-package: dist/ built (${PREBUILT.map((r) => r.name).join(', ')} prebuilt)\n`);
