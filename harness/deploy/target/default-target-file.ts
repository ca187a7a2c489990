/** Where src/'s target file is: the target a run diagnoses when no --target is given. */
import { fileURLToPath } from 'node:url';

export const DEFAULT_TARGET_FILE = fileURLToPath(new URL('../../../src/repro.target.ts', import.meta.url));
