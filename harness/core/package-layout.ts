/**
 * Where the harness runs from: a checkout, as TypeScript through tsx, or the
 * installed package, as the JavaScript `npm pack` compiled into dist/ (the
 * same folders, each .ts beside its .js). Code that names a file of its own
 * (a child's entry, a scenario) asks here, so both layouts find it; and the
 * installed package compiles nothing of its own at a user's run: its mock
 * and launcher were bundled at pack time (dist/prebuilt/).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** '.ts' in a checkout, '.js' in the installed package: the extension of the harness's own modules. */
export const MODULE_EXTENSION = path.extname(fileURLToPath(import.meta.url));

/** True when running the compiled package (dist/), not a checkout through tsx. */
export const FROM_PACKAGE = MODULE_EXTENSION === '.js';

/** The root of the harness's own folders (harness/, src/, fixtures/, scenarios/): the checkout, or the package's dist/. */
export const HARNESS_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A module of the harness named by its source URL (`new URL('./child.ts', import.meta.url)`): the file to run in this layout. */
export function ownModule(sourceUrl: URL): string {
  const file = fileURLToPath(sourceUrl);
  return FROM_PACKAGE ? file.replace(/\.ts$/, '.js') : file;
}

/** Node arguments that let a child run ownModule(): tsx in a checkout, nothing in the compiled package. */
export const OWN_MODULE_LOADER: readonly string[] = FROM_PACKAGE ? [] : ['--import', 'tsx'];

/** A bundle made at pack time (scripts in package.json: prepack), by name and entry base name. */
export function prebuiltEntry(name: string, entryBase: string): string {
  return path.join(HARNESS_ROOT, 'prebuilt', name, `${entryBase}.js`);
}

/** How a user starts the harness, for help texts and the results' command line. */
export const COMMAND_NAME = FROM_PACKAGE ? 'oauth-state-repro' : 'npm run repro --';
