/**
 * What the write gate must never hold: the files the harness and its
 * preloads write inside a target's processes, and the folders that are
 * bound into a simulated host's /tmp from the real file system. Computed
 * from the real paths of this run and this checkout, so the gate behaves
 * the same wherever the project is cloned: a checkout under /tmp puts the
 * run folder (with the interception preload's log) and node_modules under
 * the very /tmp the gate watches, and holding one of those stops the
 * process at a moment that says nothing of its store.
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HarnessWriteInputs {
  /** The folder whose writes are gated, as the gated process sees it (its host's /tmp). */
  gatedFolder: string;
  /** The run's folder: logs (the interception preload's included), histories, the gate's own markers. */
  runDir: string;
  /** Where the run's folders are made (runs/, or OAUTH_REPRO_RUNS_DIR). */
  runsRoot: string;
  projectRoot: string;
  /** The harness's compile cache (compiled target entry points, esbuild's output). */
  cacheRoot: string;
  /** The target's checkout: its working folder and the folder of its target file (bound into the host's /tmp when under the real one). */
  targetFolders: readonly string[];
  /** Name tsx's cache folder in the gated process's TMPDIR (tsx-<euid>, or tsx-<user name> where there is no euid). */
  tsxOwners: readonly (string | number)[];
}

function isInside(folder: string, child: string): boolean {
  const relative = path.relative(folder, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Each path, and its real path when a link leads elsewhere: a process may write through either. */
function withRealPaths(paths: readonly string[], realpath: (p: string) => string): string[] {
  return paths.flatMap((p) => {
    const resolved = path.resolve(p);
    try {
      const real = realpath(resolved);
      return real === resolved ? [resolved] : [resolved, real];
    } catch {
      return [resolved]; // not there (yet): only the path as given
    }
  });
}

/**
 * The exclusions for WRITE_GATE_EXCLUDE. One that holds the gated folder
 * itself (a target checked out at /tmp, say) is left out: it would exclude
 * every write the gate exists to hold.
 */
export function harnessWrites(inputs: HarnessWriteInputs, realpath: (p: string) => string = realpathSync): string[] {
  const gated = path.resolve(inputs.gatedFolder);
  const candidates = withRealPaths(
    [
      inputs.runDir,
      inputs.runsRoot,
      inputs.projectRoot,
      path.join(inputs.projectRoot, 'node_modules'),
      inputs.cacheRoot,
      ...inputs.targetFolders,
      // tsx's cache is in the gated process's own TMPDIR, so only the gated folder's name for it counts.
      ...inputs.tsxOwners.map((owner) => path.join(gated, `tsx-${owner}`)),
    ],
    realpath,
  );
  return [...new Set(candidates)].filter((entry) => !isInside(entry, gated));
}

/**
 * tsx's name for its cache's owner in a gated process: the effective uid
 * (the user name where there is none), which is 0 inside a user namespace
 * that maps the harness's user to root.
 */
export function tsxOwners(mappedToRoot: boolean): (string | number)[] {
  const own = process.geteuid?.() ?? os.userInfo().username;
  return mappedToRoot && own !== 0 ? [own, 0] : [own];
}
