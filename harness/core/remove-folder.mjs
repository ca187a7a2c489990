/**
 * Removes a folder tree the harness made, whoever wrote into it: processes
 * in their own mount namespace, a store that made its folder read-only, a
 * fault case that left a 0400 file in a 0500 folder. Plain JavaScript with
 * node: imports only, because the orphan reaper (a plain .mjs that must load
 * whatever else is broken) removes folders with it too.
 */
import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

// rmSync retries EBUSY, ENOTEMPTY, EPERM (and EMFILE, ENFILE) itself, waiting a little longer each time:
// a process that has just died may still be writing its last entry.
const REMOVE = { recursive: true, force: true, maxRetries: 5, retryDelay: 100 };

/**
 * Gives the owner rwx on every folder of the tree, so that its entries can
 * be unlinked when the harness is not root. lstat, never stat: a symlink in
 * the tree (a fault case's link to a file elsewhere) is not followed.
 */
function openUp(dir) {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  try {
    chmodSync(dir, (stat.mode & 0o7777) | 0o700);
  } catch {
    // Not ours to change (another user's folder): rmSync says so below if it matters.
  }
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) openUp(path.join(dir, name));
}

/** Removes `dir` and everything in it; a folder that is already gone is fine. Throws if something stays. */
export function removeFolder(dir) {
  try {
    rmSync(dir, REMOVE);
    return;
  } catch {
    // EACCES on a read-only folder: open the tree up and try once more.
  }
  openUp(dir);
  rmSync(dir, REMOVE);
}
