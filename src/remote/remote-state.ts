/**
 * The remote mode's one door to its state: every record of every hop goes
 * through the SessionStore of the configured kind, under a key the store
 * mints when it carries records inside their keys (sealed-state), 32 random
 * bytes otherwise. A record past its expiresAt is never handed out, whatever
 * the store does with it (the write-up's stores keep records forever).
 */
import { randomBytes } from 'node:crypto';
import { recordIsLive, type NamespaceRecords, type RemoteNamespace, type SessionStore } from '../session-store.ts';

/** How long each kind of record lives, in milliseconds. */
export const REMOTE_LIFETIMES_MS = {
  /** A registration is kept a month (the SDK's own default lifetime of a client secret). */
  clients: 30 * 24 * 60 * 60 * 1000,
  /** The user has as long as the write-up's OAuth state to get through the provider's consent. */
  pendingAuthorizations: 15 * 60 * 1000,
  /** RFC 6749 §4.1.2: a code lives 10 minutes at most. */
  authorizationCodes: 10 * 60 * 1000,
  /** At most an hour, and never longer than the provider's token behind it. */
  accessTokens: 60 * 60 * 1000,
  /** A month, rotated at each use; the provider's refresh token behind it lives longer (Atlassian: 90 days unused). */
  refreshTokens: 30 * 24 * 60 * 60 * 1000,
  /** A day from initialize; a client whose session is gone starts a new one. */
  mcpSessions: 24 * 60 * 60 * 1000,
} as const satisfies Record<RemoteNamespace, number>;

export class RemoteState {
  constructor(readonly store: SessionStore) {}

  /** Stores a new record and returns its key (made by the store when it can). */
  async create<N extends RemoteNamespace>(ns: N, record: NamespaceRecords[N]): Promise<string> {
    const key = this.store.mintKey ? await this.store.mintKey(ns, record) : randomBytes(32).toString('base64url');
    await this.store.put(ns, key, record);
    return key;
  }

  /** The record under key while it is live. */
  async find<N extends RemoteNamespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = await this.store.get(ns, key);
    return record && recordIsLive(record) ? record : undefined;
  }

  /** Takes the record (single use) and returns it while it is live. */
  async consume<N extends RemoteNamespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = await this.store.take(ns, key);
    return record && recordIsLive(record) ? record : undefined;
  }

  async remove(ns: RemoteNamespace, key: string): Promise<void> {
    await this.store.delete(ns, key);
  }
}
