/** What a store leaves in its folder: every file, recursively, with its size. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface FileSize {
  /** Relative to the folder. */
  name: string;
  bytes: number;
}

export function filesIn(dir: string): FileSize[] {
  const out: FileSize[] = [];
  const walk = (sub: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        try {
          out.push({ name: rel, bytes: statSync(path.join(dir, rel)).size });
        } catch {
          // Removed between listing and stat (a lock file, say): not part of the footprint.
        }
      }
    }
  };
  walk('');
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function totalBytes(files: readonly FileSize[]): number {
  return files.reduce((sum, f) => sum + f.bytes, 0);
}
