/**
 * harness/deploy/preload/: Node preloads put into a target's processes through NODE_OPTIONS (virtual clock, write gate).
 *
 * Where the harness's preloads live, and how a process is told to load them:
 * NODE_OPTIONS=--import=<file URL> for each, so every Node process of a run
 * picks them up without its command line changing.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

export const VIRTUAL_CLOCK_PRELOAD = fileURLToPath(new URL('./virtual-clock.mjs', import.meta.url));
export const WRITE_GATE_PRELOAD = fileURLToPath(new URL('./write-gate.mjs', import.meta.url));
/** Sends auth.atlassian.com and api.atlassian.com to the run's mock and refuses every other outbound host. */
export const PROVIDER_INTERCEPT_PRELOAD = fileURLToPath(new URL('./provider-intercept.mjs', import.meta.url));

/** NODE_OPTIONS value importing each file first (file URLs, so spaces in paths survive). */
export function nodeOptionsImporting(files: readonly string[]): string {
  return files.map((file) => `--import=${pathToFileURL(file).href}`).join(' ');
}

