/**
 * Every file under a deployment's host folders, read from outside: what the
 * replicas wrote, whatever they named it and however they laid it out. The
 * harness never looks inside: a store is measured by the bytes it leaves.
 */
import path from 'node:path';
import { filesIn, totalBytes } from '../store-bench/folder-size.ts';
import type { DiskReading } from './remote-footprint-result.ts';

export function readHostDisk(folders: readonly string[]): DiskReading {
  const files: Record<string, number> = {};
  for (const folder of folders) {
    // "<host>/tmp/..." or "<host>/home/...": a file keeps the folder it was found in.
    const prefix = path.join(path.basename(path.dirname(folder)), path.basename(folder));
    for (const file of filesIn(folder)) files[path.join(prefix, file.name)] = file.bytes;
  }
  return { bytes: totalBytes(Object.entries(files).map(([name, bytes]) => ({ name, bytes }))), files };
}
