#!/usr/bin/env node
/**
 * The installed package's command, `oauth-state-repro`: `init [DIR]` writes a
 * first target file; anything else is `npm run repro`'s command line, with
 * the runs under ./oauth-state-repro/ (or --out) and ./repro.target.ts as the
 * default target. A user's target file is TypeScript: tsx's loader is
 * registered for it (not for --help, which must answer at once).
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ownModule } from '../core/package-layout.ts';
import { PACKAGE_DEFAULT_TARGET } from '../deploy/target/default-target-file.ts';

const argv = process.argv.slice(2);
const asksHelp = argv.includes('--help') || argv.includes('-h');

/** Loaders for a user's target file: tsx for its TypeScript, and this package for its import of 'oauth-state-repro'. */
async function registerTargetLoaders(): Promise<void> {
  const own = (relative: string) => pathToFileURL(ownModule(new URL(relative, import.meta.url)));
  register(own('./self-resolve-hooks.ts'), { data: { selfUrl: own('../deploy/target/package-exports.ts').href } });
  // Both of tsx's loaders: a target file in a CommonJS package (no "type": "module") is loaded through require, and its import of this ES package then works.
  const tsxLoaders = 'tsx'; // named through a variable: the package ships no types for its loader entry
  await import(tsxLoaders);
}

if (asksHelp && argv[0] !== 'init') {
  // The text alone: loading the whole battery to print it would take most of a second.
  const { USAGE } = await import('./repro-options.ts');
  process.stdout.write(`${USAGE}\n`);
} else if (argv[0] === 'init') {
  await registerTargetLoaders();
  const { runInit } = await import('./init/init-command.ts');
  process.exitCode = await runInit(argv.slice(1));
} else if (!argv.some((arg) => arg === '--target' || arg.startsWith('--target=')) && !existsSync(PACKAGE_DEFAULT_TARGET)) {
  process.stderr.write(`oauth-state-repro: no --target given and no ${PACKAGE_DEFAULT_TARGET} here; \`npx oauth-state-repro init\` writes one for the server in this folder.\n`);
  process.exitCode = 64;
} else {
  await registerTargetLoaders();
  await import('./repro.ts');
}
