/**
 * The one place a store kind becomes a store. Callers (the processes, the
 * harness's benchmarks) hold only the SessionStore interface.
 *
 * createSessionStore has every store's module at hand (and so loads all of
 * them: ioredis, better-sqlite3, proper-lockfile, write-file-atomic);
 * openSessionStore (open-session-store.ts) loads only the chosen one, for the
 * entry points, which start hundreds of times a run.
 */
import type { SessionStore, StoreKind } from '../session-store.ts';
import * as memory from './memory-store.ts';
import * as jsonFile from './json-file-store.ts';
import * as atomicFile from './atomic-file-store.ts';
import * as sqlite from './sqlite-store.ts';
import * as redis from './redis-store.ts';
import * as sealedState from './sealed-state-store.ts';
import { constructSessionStore, type CreateSessionStoreOptions, type StoreModules } from './construct-session-store.ts';

export { sessionStoreOptionsFromConfig, type CreateSessionStoreOptions } from './construct-session-store.ts';

const ALL_STORE_MODULES: StoreModules = { memory, 'json-file': jsonFile, 'atomic-file': atomicFile, sqlite, redis, 'sealed-state': sealedState };

export function createSessionStore(kind: StoreKind, options: CreateSessionStoreOptions = {}): SessionStore {
  return constructSessionStore(kind, options, ALL_STORE_MODULES);
}
