/**
 * Where an executable is, found without spawning anything: the check every
 * service and tool the harness runs makes first, so that a missing one is
 * one clear line (with its install hint), not a spawn error.
 */
import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';

/** Finds `command` on `searchPath` (or checks it, when it has a slash); undefined when it is nowhere. */
export function findExecutable(command: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/') ? [command] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
