/**
 * Test files make run folders (createRunFolder) and redis servers without
 * running a whole battery, so nothing else removes the hosts folders they
 * claim under /tmp: after each file, every temporary folder still claimed
 * in this worker goes, once no child it started can write into it any
 * more. (A worker that dies leaves them to its orphan reaper.)
 */
import { afterAll } from 'vitest';
import { claimedTemporaryFolders, removeTemporaryFolder } from '../../harness/core/temporary-folders.ts';
import { runningChildren, stopAllChildren } from '../../harness/deploy/process/child-process.ts';

// Registered before the file's own hooks, so it runs after them (vitest runs after-hooks in reverse).
afterAll(async () => {
  const folders = claimedTemporaryFolders();
  if (folders.length === 0) return;
  if (runningChildren().length > 0) await stopAllChildren({ graceMs: 500 });
  for (const dir of folders) {
    try {
      removeTemporaryFolder(dir);
    } catch (error) {
      // Still claimed: the worker's orphan reaper removes it when the worker exits.
      process.stderr.write(`test setup: could not remove ${dir}: ${(error as Error).message}\n`);
    }
  }
});
