/**
 * The one place a store kind becomes a store. Callers (the processes, the
 * harness's benchmarks) hold only the SessionStore interface.
 */
import { STORE_KINDS, type SessionStore, type StoreKind } from '../session-store.ts';
import { defaultSessionFile } from '../config.ts';
import type { Logger } from '../log.ts';
import { MemorySessionStore } from './memory-store.ts';
import { JsonFileSessionStore } from './json-file-store.ts';

export interface CreateSessionStoreOptions {
  /** json-file: path of the sessions file; defaults to the write-up's `${os.tmpdir()}/jira-oauth-sessions.json`. */
  sessionFile?: string;
  logger?: Logger;
}

export function createSessionStore(kind: StoreKind, options: CreateSessionStoreOptions = {}): SessionStore {
  switch (kind) {
    case 'memory':
      return new MemorySessionStore({ logger: options.logger });
    case 'json-file':
      return new JsonFileSessionStore({
        sessionFile: options.sessionFile ?? defaultSessionFile(),
        logger: options.logger,
      });
    default: {
      const unknownKind: never = kind;
      throw new Error(`Unknown session store "${String(unknownKind)}": expected one of ${STORE_KINDS.join(', ')}`);
    }
  }
}
