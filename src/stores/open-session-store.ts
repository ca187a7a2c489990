/**
 * createSessionStore for the entry points: loads only the chosen store's
 * module, so a process with the memory store does not load ioredis,
 * better-sqlite3, proper-lockfile and write-file-atomic at every start.
 */
import type { SessionStore, StoreKind } from '../session-store.ts';
import { constructSessionStore, type CreateSessionStoreOptions, type StoreModules } from './construct-session-store.ts';

const LOADERS: { [K in StoreKind]: () => Promise<StoreModules[K]> } = {
  memory: () => import('./memory-store.ts'),
  'json-file': () => import('./json-file-store.ts'),
  'atomic-file': () => import('./atomic-file-store.ts'),
  sqlite: () => import('./sqlite-store.ts'),
  redis: () => import('./redis-store.ts'),
  'sealed-state': () => import('./sealed-state-store.ts'),
};

export async function openSessionStore(kind: StoreKind, options: CreateSessionStoreOptions = {}): Promise<SessionStore> {
  const load = LOADERS[kind] as (() => Promise<StoreModules[StoreKind]>) | undefined;
  // An unknown kind loads nothing: constructSessionStore refuses it with the one message for that.
  return constructSessionStore(kind, options, load ? { [kind]: await load() } : {});
}

export { sessionStoreOptionsFromConfig } from './construct-session-store.ts';
