/**
 * A store's reach (does another process, another host, see its state?)
 * guessed from words: the store's own name when the server lets its store be
 * chosen, else what its code uses. A guess from words is a guess: init marks
 * each one for the user to check unless the name says it plainly.
 */
import type { StoreReach } from '../../core/store-profile.ts';
import type { SourceFile } from './source-files.ts';

const BY_NAME: readonly [StoreReach, RegExp][] = [
  ['process', /^(?:map|memory|mem|in-?memory|static|local|ram)$/i],
  // A file of any make (json-file, atomic-file, sqlite): one host's disk.
  ['host', /(?:^|[-_])(?:file|files|json|fs|disk|sqlite3?|tmp|persistent)(?:$|[-_])/i],
  // A server every host reaches, or state that travels with the flow itself (sealed into the state parameter, a cookie).
  ['hosts', /^(?:redis|valkey|postgres(?:ql)?|pg|mysql|mongo(?:db)?|dynamo(?:db)?|database|db|kv|cookie)$|^sealed(?:$|[-_])/i],
];

/** The reach a store name says plainly, if it does. */
export function reachOfName(name: string): StoreReach | undefined {
  return BY_NAME.find(([, pattern]) => pattern.test(name))?.[0];
}

export interface FixedStoreGuess {
  name: string;
  reach: StoreReach;
  /** What the guess was read from, for the TODO line. */
  because: string;
}

/** A server with one store, fixed by its code: a server client, a file in a temporary folder, or (failing both) a Map in the process. */
export function guessFixedStore(files: readonly SourceFile[]): FixedStoreGuess {
  const all = files.map((f) => f.text).join('\n');
  if (/from\s+['"](?:ioredis|redis|@redis\/client|pg|mysql2?|mongodb)['"]/.test(all)) return { name: 'server', reach: 'hosts', because: 'it imports a database client' };
  if (/\b(?:tmpdir\s*\(\)|['"`]\/tmp\b)/.test(all) && /\bwriteFile(?:Sync)?\s*\(|\bcreateWriteStream\s*\(/.test(all)) return { name: 'file', reach: 'host', because: 'it writes files in a temporary folder' };
  if (/from\s+['"](?:better-sqlite3|sqlite3|node:sqlite)['"]/.test(all)) return { name: 'sqlite', reach: 'host', because: 'it imports SQLite' };
  return { name: 'memory', reach: 'process', because: 'no file, database or server client found in its code' };
}
