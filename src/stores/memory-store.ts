/**
 * The write-up's OLD design, kept faithfully:
 *
 *     private static sessions = new Map<string, OAuthSession>();
 *
 * One static Map per namespace, shared by every instance in this process and
 * invisible to any other process. That is claim C1's cause: the callback
 * process has its own, empty Map. Do not "fix" it; it is the baseline.
 */
import {
  NAMESPACES,
  SESSION_TTL_MS,
  type Namespace,
  type NamespaceRecords,
  type SessionStore,
} from '../session-store.ts';
import { createLogger, shortId, type Logger } from '../log.ts';

export interface MemoryStoreOptions {
  logger?: Logger;
}

export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;

  // Static on purpose: the old OAuthManager's `private static sessions`.
  // The remote mode's namespaces get the same: one replica's Map, unseen by the others.
  private static readonly maps = Object.fromEntries(NAMESPACES.map((ns) => [ns, new Map()])) as {
    [N in Namespace]: Map<string, NamespaceRecords[N]>;
  };

  /** Empties the process-wide maps. For tests only: production never clears them. */
  static clearAllForTesting(): void {
    for (const ns of NAMESPACES) MemorySessionStore.maps[ns].clear();
  }

  private readonly log: Logger;

  constructor(options: MemoryStoreOptions = {}) {
    this.log = options.logger ?? createLogger('memory-store');
  }

  private map<N extends Namespace>(ns: N): Map<string, NamespaceRecords[N]> {
    return MemorySessionStore.maps[ns] as Map<string, NamespaceRecords[N]>;
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    if (ns === 'sessions') {
      // Same TTL cleanup as the file store, so the two differ only in where the Map lives.
      const now = Date.now();
      for (const [k, s] of MemorySessionStore.maps.sessions) {
        if (now - s.timestamp > SESSION_TTL_MS) MemorySessionStore.maps.sessions.delete(k);
      }
      this.log.info(`💾 Storing session in memory: ${shortId(key)}`);
    }
    this.map(ns).set(key, record);
    if (ns === 'sessions') this.log.info(`📊 Total active sessions in memory: ${this.map(ns).size}`);
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = this.map(ns).get(key);
    if (ns === 'sessions') this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    // Synchronous lookup and removal: inside one process the old design's
    // getSession + deleteSession could not interleave with another callback.
    const record = this.map(ns).get(key);
    if (ns === 'sessions') this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    if (record) this.map(ns).delete(key);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    this.map(ns).delete(key);
  }

  async count(ns: Namespace): Promise<number> {
    return this.map(ns).size;
  }

  async close(): Promise<void> {
    // Nothing to release; the static Map outlives every instance, as in the write-up.
  }
}
