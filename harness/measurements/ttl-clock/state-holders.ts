/**
 * Which files on a host hold which OAuth states, found from outside the
 * store: every file under the host's /tmp (the TypeScript runtime's cache
 * aside) is searched for the states the harness has seen in authorize URLs.
 * Only JSON files are read as holding what they show; a binary file (a
 * database, its journal) keeps deleted records in its bytes, so it is named
 * but not read. A store that keeps no file there simply has no holder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface StateHolder {
  file: string;
  bytes: number;
  /** The searched states found in the file's bytes. */
  present: string[];
  /** Top-level keys when the file is a JSON object (the json-file store's sessions), else undefined. */
  jsonKeys?: number;
}

const MAX_BYTES = 64 * 1024 * 1024;

function filesUnder(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('tsx-') ? [] : filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

function inspect(file: string, states: readonly string[]): StateHolder | undefined {
  let text: string;
  let bytes: number;
  try {
    bytes = statSync(file).size;
    if (bytes > MAX_BYTES) return undefined;
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined; // removed between listing and reading
  }
  const present = states.filter((state) => text.includes(state));
  let jsonKeys: number | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) jsonKeys = Object.keys(parsed).length;
  } catch {
    jsonKeys = undefined;
  }
  return { file, bytes, present, ...(jsonKeys === undefined ? {} : { jsonKeys }) };
}

export function findStateHolders(folder: string, states: readonly string[]): StateHolder[] {
  return filesUnder(folder).flatMap((file) => inspect(file, states) ?? []);
}

export interface SessionFileSearch {
  /** The JSON file holding the most of the given states, if one holds any. */
  file?: StateHolder;
  /**
   * Other files that hold some of the states in their bytes but are not JSON
   * (a database and its journal): their bytes keep deleted records, so what
   * they hold cannot be read from outside.
   */
  opaque: string[];
}

export function sessionFile(folder: string, states: readonly string[]): SessionFileSearch {
  const holders = findStateHolders(folder, states).filter((holder) => holder.present.length > 0);
  const [file] = holders.filter((holder) => holder.jsonKeys !== undefined).sort((a, b) => b.present.length - a.present.length);
  return { ...(file ? { file } : {}), opaque: holders.filter((holder) => holder.jsonKeys === undefined).map((holder) => holder.file) };
}

/** Snapshot of one known file (it may be gone: then 0 bytes, nothing present). */
export function snapshotFile(file: string, states: readonly string[]): StateHolder {
  return inspect(file, states) ?? { file, bytes: 0, present: [] };
}
