/**
 * The command line that runs a target's factory module as a stdio MCP
 * server: the harness's own launcher (factory-stdio.ts, compiled once per
 * source version so each process starts with plain node), with the harness's
 * own tsx loader in front when the module is TypeScript. Both paths are
 * absolute and resolved here, so the process starts the same from any
 * working directory: a server's own checkout has no tsx and no launcher.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import { compiledEntryPoints, type CompileRequest } from '../target/compiled-entry-points.ts';
import { FROM_PACKAGE, prebuiltEntry } from '../../core/package-layout.ts';

const LAUNCHER_SOURCE = 'harness/deploy/launch/factory-stdio.ts';
/** How the launcher is bundled: at a checkout's first use, or once at pack time for the installed package. */
export const LAUNCHER_BUILD: CompileRequest = { name: 'factory-stdio', sourceDirs: ['harness/deploy/launch'], entries: [LAUNCHER_SOURCE], bundleDependenciesExcept: [] };

/** What the launcher is told: the module, its export, and the config the factory gets (a JSON object). */
export interface FactoryModule {
  modulePath: string;
  exportName: string;
  config: Readonly<Record<string, unknown>>;
}

/** Extensions Node cannot load without a TypeScript loader. */
const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/;

let compiledLauncher: string | undefined;

/** The launcher compiled to one JavaScript file (its dependencies bundled), built on first use. */
export function factoryLauncherScript(): string {
  compiledLauncher ??= FROM_PACKAGE ? prebuiltEntry(LAUNCHER_BUILD.name, 'factory-stdio') : path.join(compiledEntryPoints(PROJECT_ROOT, LAUNCHER_BUILD), 'factory-stdio.js');
  return compiledLauncher;
}

/** tsx's loader in the harness's own node_modules, as a file URL for `--import` (a bare "tsx" would be looked up from the target's cwd). */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** `node [--import <tsx>] <launcher> --module=<path> --export=<name> --config=<json> ...extraArgs`. */
export function factoryLaunchCommand(factory: FactoryModule, extraArgs: readonly string[] = []): { command: string; args: string[] } {
  const loader = TYPESCRIPT.test(factory.modulePath) ? ['--import', tsxLoaderUrl()] : [];
  return {
    command: process.execPath,
    args: [
      ...loader,
      factoryLauncherScript(),
      // The --name=value form: a value can never be taken for an option of its own, whatever it starts with.
      `--module=${factory.modulePath}`,
      `--export=${factory.exportName}`,
      `--config=${JSON.stringify(factory.config)}`,
      ...extraArgs,
    ],
  };
}
