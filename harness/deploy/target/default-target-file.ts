/**
 * The target a run diagnoses when no --target is given: src/'s target file in
 * a checkout; in the installed package, repro.target.ts in the working
 * directory (the file `oauth-state-repro init` writes).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FROM_PACKAGE } from '../../core/package-layout.ts';

export const PACKAGE_DEFAULT_TARGET = 'repro.target.ts';

export const DEFAULT_TARGET_FILE = FROM_PACKAGE ? path.resolve(PACKAGE_DEFAULT_TARGET) : fileURLToPath(new URL('../../../src/repro.target.ts', import.meta.url));
