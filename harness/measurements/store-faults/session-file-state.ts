/**
 * What a store left on disk, judged from the bytes alone: missing, empty,
 * a JSON object (the write-up's format), other JSON, or not JSON at all
 * (torn, garbage, or simply another format such as SQLite's). Used by the
 * driver (from inside the process) and by the checkers (afterwards).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileParse, FileStateEntry } from './driver-protocol.ts';

/** tsx keeps its compile cache in TMPDIR (tsx-<uid>/): the runtime's files, not the store's. */
const RUNTIME_CACHE = /^tsx-\d+$/;

export const modeString = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

export function parseOf(file: string): FileParse {
  let text: string;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return 'directory';
    if (stat.size === 0) return 'empty';
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? 'json-object' : 'json-other';
  } catch {
    return 'not-json';
  }
}

/** Every regular file under folder (recursively), skipping the runtime's cache; paths relative to folder. */
export function storeFilesIn(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (RUNTIME_CACHE.test(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) found.push(path.relative(folder, full));
    }
  };
  walk(folder);
  return found.sort();
}

export function fileStates(folder: string): FileStateEntry[] {
  return storeFilesIn(folder).map((name) => {
    const full = path.join(folder, name);
    try {
      const stat = statSync(full);
      return { name, size: stat.size, mode: modeString(stat.mode), parse: parseOf(full) };
    } catch {
      return { name, size: -1, mode: '', parse: 'unreadable' as const };
    }
  });
}
