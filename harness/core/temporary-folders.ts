/**
 * Folders a run makes outside its run folder, under os.tmpdir() (the
 * simulated hosts, redis-server's working folder): each is claimed when it
 * is made, and must be gone when the run ends, even when the harness is
 * killed and runs no cleanup. Whoever can remove them watches the claims:
 * the orphan reaper (deploy/process/reaper.ts) is told of each one, so that
 * it removes what is still claimed once the harness is gone. This module
 * only keeps the list, so that the core layer needs nothing above it.
 */
import { removeFolder } from './remove-folder.mjs';

export interface TemporaryFolderWatcher {
  claimed(dir: string): void;
  /** No longer the watcher's to remove: removed already, or kept on purpose (--keep). */
  released(dir: string): void;
}

const claimed = new Set<string>();
const watchers = new Set<TemporaryFolderWatcher>();

/** Every folder claimed so far and not yet released is told to a new watcher first. */
export function watchTemporaryFolders(watcher: TemporaryFolderWatcher): () => void {
  watchers.add(watcher);
  for (const dir of claimed) watcher.claimed(dir);
  return () => watchers.delete(watcher);
}

export function claimTemporaryFolder(dir: string): void {
  if (claimed.has(dir)) return;
  claimed.add(dir);
  for (const watcher of watchers) watcher.claimed(dir);
}

/** Leaves `dir` on disk and forgets it: nothing removes it later (--keep). */
export function releaseTemporaryFolder(dir: string): void {
  if (!claimed.delete(dir)) return;
  for (const watcher of watchers) watcher.released(dir);
}

/**
 * Removes `dir` now, then forgets it. If it cannot be removed, it stays
 * claimed (the reaper tries again once the harness is gone) and the error
 * is thrown.
 */
export function removeTemporaryFolder(dir: string): void {
  removeFolder(dir);
  releaseTemporaryFolder(dir);
}

export function claimedTemporaryFolders(): string[] {
  return [...claimed];
}
